"""Command line: ``python -m beacon_safety assess IN.jsonl | - | --text "..."``.

Each input line is a JSON object with "id" and "text" (optional "kind", "lang"). One JSON line
per input is written to stdout. A bad line is reported on stderr with its line number and
the rest are still processed; the exit status is 1 if any line was bad, else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from beacon_safety.engine import assess
from beacon_safety.model import KINDS


def _result(item_id: Any, text: str, *, kind: str, lang: str) -> dict[str, Any]:
    data = assess(text, kind=kind, lang=lang).to_dict()
    return {"id": item_id, **data}


def _run_lines(lines: Iterable[str], out: TextIO, err: TextIO, *, kind: str, lang: str) -> int:
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('expected an object with a string "text"')
        except ValueError as exc:
            bad += 1
            print(f"line {number}: {exc}", file=err)
            continue
        result = _result(
            item.get("id"),
            item["text"],
            kind=str(item.get("kind", kind)),
            lang=str(item.get("lang", lang)),
        )
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if bad else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m beacon_safety")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assess", help="assess texts and print one JSON line per text")
    p.add_argument("path", nargs="?", help="a JSONL file of {id, text}, or - for stdin")
    p.add_argument("--text", help="assess this one text instead of a file")
    p.add_argument("--lang", default="en", help="language of the lexicons (default: en)")
    p.add_argument("--kind", default="generic", choices=KINDS, help="where the texts come from")
    args = parser.parse_args(argv)
    if args.text is not None:
        result = _result(None, args.text, kind=args.kind, lang=args.lang)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    if not args.path:
        parser.error("give a JSONL path, - for stdin, or --text")
    if args.path == "-":
        with open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False) as stdin:
            return _run_lines(stdin, sys.stdout, sys.stderr, kind=args.kind, lang=args.lang)
    try:
        with open(args.path, encoding="utf-8", errors="replace") as fh:
            return _run_lines(fh, sys.stdout, sys.stderr, kind=args.kind, lang=args.lang)
    except OSError as exc:
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
