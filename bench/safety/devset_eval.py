"""Score beacon_safety on the labelled development set (tests/safety/devset.jsonl).

Run: ``PYTHONPATH=src python bench/safety/devset_eval.py [--file PATH] [--failures]``.
``--file`` scores another labelled JSONL file with the same fields (for example
``tests/safety/holdout.jsonl``); the default is the development set. Prints JSON figures
(per-tier precision/recall, none->crisis rate, hard-case accuracy, per-case accuracy) and,
with --failures, every text whose tier differs from its label.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from beacon_safety import Risk, assess

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "tests" / "safety" / "devset.jsonl"
# The contrast cases the issue calls hard: same words, different meaning.
HARD_CASES = frozenset(
    {
        "passive_ideation",
        "goodbye",
        "third_party",
        "recovery_past",
        "supportive_reply",
        "negation",
        "hypothetical",
        "idiom_hyperbole",
        "spanish_none",
        "search_help",
        "tricky_none",
    }
)


def load(path: Path = DEVSET) -> list[dict]:
    """Return the development-set records."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(records: list[dict]) -> tuple[dict, list[dict]]:
    """Return (figures, failures) for the records."""
    tiers = [str(t) for t in Risk]
    tp = dict.fromkeys(tiers, 0)
    fp = dict.fromkeys(tiers, 0)
    fn = dict.fromkeys(tiers, 0)
    per_case: dict[str, list[int]] = {}
    failures = []
    none_total = none_to_crisis = 0
    for rec in records:
        got = str(
            assess(rec["text"], kind=rec.get("kind", "generic"), lang=rec.get("lang", "en")).risk
        )
        want = rec["expected"]
        ok = got == want
        per_case.setdefault(rec["case"], [0, 0])
        per_case[rec["case"]][0] += ok
        per_case[rec["case"]][1] += 1
        if ok:
            tp[want] += 1
        else:
            fp[got] += 1
            fn[want] += 1
            failures.append({**rec, "got": got})
        if want == "none":
            none_total += 1
            none_to_crisis += got == "crisis"
    hard = [v for k, v in per_case.items() if k in HARD_CASES]
    hard_ok, hard_n = sum(v[0] for v in hard), sum(v[1] for v in hard)
    figures = {
        "n": len(records),
        "accuracy": round(sum(tp.values()) / len(records), 4),
        "tiers": {
            t: {
                "precision": round(tp[t] / (tp[t] + fp[t]), 4) if tp[t] + fp[t] else 0.0,
                "recall": round(tp[t] / (tp[t] + fn[t]), 4) if tp[t] + fn[t] else 0.0,
                "support": tp[t] + fn[t],
            }
            for t in tiers
        },
        "none_to_crisis_rate": round(none_to_crisis / none_total, 4) if none_total else 0.0,
        "hard_case_accuracy": round(hard_ok / hard_n, 4) if hard_n else 0.0,
        "hard_cases": hard_n,
        "per_case": {k: round(v[0] / v[1], 4) for k, v in sorted(per_case.items())},
    }
    return figures, failures


def main() -> int:
    """Print the figures (and failures with --failures)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--file", type=Path, default=DEVSET, help="labelled JSONL to score")
    args = parser.parse_args()
    figures, failures = score(load(args.file))
    print(json.dumps(figures, indent=2))
    if args.failures:
        for f in failures:
            print(
                f"{f['id']}: want {f['expected']} got {f['got']}: {f['text'][:150]}",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
