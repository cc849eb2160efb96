"""Benchmark beacon_safety: throughput, linearity, memory, floor ratio and devset figures.

Run from the repository root::

    PYTHONPATH=src python bench/safety/run.py            # full run (10,000 texts)
    PYTHONPATH=src python bench/safety/run.py --n 2000   # quicker

Prints a readable table on stderr and one JSON object on stdout (see README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402
from devset_eval import load as load_devset  # noqa: E402
from devset_eval import score  # noqa: E402

from beacon_safety import assess, language_terms  # noqa: E402
from beacon_safety.lexicon import load as load_lexicon  # noqa: E402

TARGET_TEXTS_PER_S = 2000
TARGET_RSS_MB = 100
TARGET_FLOOR_RATIO = 5.0


def rss_of_loaded_engine() -> float:
    """Return peak RSS (MB) of a fresh interpreter that imported and warmed the engine.

    Read from VmHWM in /proc (reset by exec), not ru_maxrss, which Linux carries over from
    the parent process across fork and exec.
    """
    code = (
        "import beacon_safety as b;"
        "b.assess('warm up: I want to die, call 020 7946 0018, see example.org', lang='en');"
        "b.assess('quiero morir', lang='es');"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    return int(out.stdout.strip()) / 1024  # kB


def current_rss_mb() -> float:
    """Return the current RSS of this process in MB (from /proc, Linux only)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def floor_regex() -> re.Pattern[str]:
    """Return the floor: one compiled alternation of the English lexicon keywords."""
    keywords = set(load_lexicon("en").keywords)
    for term in language_terms("en"):
        keywords.add(re.split(r"[ /;,(]", term.term.strip('"').lower())[0])
    keywords.discard("")
    body = "|".join(sorted(map(re.escape, keywords), key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b")


def time_floor(texts: list[str]) -> float:
    """Return seconds for one lower-case + keyword-alternation pass over every text."""
    regex = floor_regex()
    started = time.perf_counter()
    for text in texts:
        for _ in regex.finditer(text.lower()):
            pass
    return time.perf_counter() - started


def time_engine(texts: list[str]) -> tuple[float, list[float]]:
    """Return (total seconds, per-text seconds) for the full ``assess`` of every text."""
    per_text = []
    clock = time.perf_counter
    started = clock()
    for text in texts:
        t0 = clock()
        assess(text, kind="story")
        per_text.append(clock() - t0)
    return clock() - started, per_text


def linearity(texts: list[str], per_text: list[float]) -> dict[str, float]:
    """Return microseconds per 1,000 characters by length bucket (flat means linear)."""
    buckets = {
        "<500": (0, 500),
        "500-2k": (500, 2000),
        "2k-10k": (2000, 10_000),
        ">10k": (10_000, 10**9),
    }
    out = {}
    for name, (lo, hi) in buckets.items():
        chars = sum(len(t) for t in texts if lo <= len(t) < hi)
        secs = sum(s for t, s in zip(texts, per_text, strict=True) if lo <= len(t) < hi)
        out[name] = round(secs / chars * 1e9, 1) if chars else 0.0
    return out


def main() -> int:
    """Run every measurement, print a table on stderr and JSON on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="passes per measurement; the fastest is kept"
    )
    args = parser.parse_args()

    texts = generate(args.n)
    lengths = sorted(len(t) for t in texts)
    load_lexicon("en")
    assess("warm up")
    # Best of N, alternating engine and floor, so that noise from other processes on the
    # machine affects both sides of the ratio alike.
    engine_s, per_text, floor_s = float("inf"), [], float("inf")
    for _ in range(max(1, args.repeat)):
        seconds, latencies = time_engine(texts)
        if seconds < engine_s:
            engine_s, per_text = seconds, latencies
        floor_s = min(floor_s, time_floor(texts))
    figures, _ = score(load_devset())
    result = {
        "texts": len(texts),
        "chars_total": sum(lengths),
        "length_median": lengths[len(lengths) // 2],
        "length_max": lengths[-1],
        "texts_over_10k": sum(n > 10_000 for n in lengths),
        "engine_seconds": round(engine_s, 3),
        "texts_per_second": round(len(texts) / engine_s, 1),
        "latency_ms_p50": round(statistics.median(per_text) * 1e3, 3),
        "latency_ms_p99": round(sorted(per_text)[int(len(per_text) * 0.99)] * 1e3, 3),
        "latency_ms_max": round(max(per_text) * 1e3, 3),
        "us_per_1000_chars_by_length": linearity(texts, per_text),
        "floor_seconds": round(floor_s, 3),
        "floor_ratio": round(engine_s / floor_s, 2),
        "rss_mb_loaded_engine": round(rss_of_loaded_engine(), 1),
        "rss_mb_this_process": round(current_rss_mb(), 1),
        "devset": figures,
        "targets": {
            "texts_per_second": TARGET_TEXTS_PER_S,
            "rss_mb": TARGET_RSS_MB,
            "floor_ratio": TARGET_FLOOR_RATIO,
        },
    }
    rows = [
        (
            "texts",
            f"{result['texts']:,} (median {result['length_median']} chars, "
            f"{result['texts_over_10k']} over 10k, max {result['length_max']:,})",
        ),
        (
            "throughput",
            f"{result['texts_per_second']:,} texts/s (target >= {TARGET_TEXTS_PER_S:,})",
        ),
        (
            "latency p50/p99/max",
            f"{result['latency_ms_p50']} / {result['latency_ms_p99']} / "
            f"{result['latency_ms_max']} ms",
        ),
        ("us per 1k chars", json.dumps(result["us_per_1000_chars_by_length"])),
        (
            "floor (keyword scan)",
            f"{result['floor_seconds']} s; engine is "
            f"{result['floor_ratio']}x the floor (aim <= 5x)",
        ),
        ("RSS loaded engine", f"{result['rss_mb_loaded_engine']} MB (target <= 100 MB)"),
        ("devset accuracy", f"{figures['accuracy']} on {figures['n']} texts"),
        (
            "devset crisis P/R",
            f"{figures['tiers']['crisis']['precision']} / {figures['tiers']['crisis']['recall']}",
        ),
        (
            "devset concern P/R",
            f"{figures['tiers']['concern']['precision']} / {figures['tiers']['concern']['recall']}",
        ),
        (
            "devset none P/R",
            f"{figures['tiers']['none']['precision']} / {figures['tiers']['none']['recall']}",
        ),
        ("none -> crisis", f"{figures['none_to_crisis_rate']}"),
        ("hard cases", f"{figures['hard_case_accuracy']} on {figures['hard_cases']} texts"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}", file=sys.stderr)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
