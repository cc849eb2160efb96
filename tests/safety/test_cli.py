"""The command line: JSONL in, one JSON line out per input, bad lines on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.safety

SRC = str(Path(__file__).resolve().parents[2] / "src")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "beacon_safety", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_jsonl_file_with_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": 1, "text": "I want to die"}),
                "{not json",
                json.dumps({"id": "b", "text": "this exam is killing me"}),
                json.dumps({"id": 3}),
                json.dumps({"id": 4, "text": "I've been purging again"}),
            ]
        ),
        encoding="utf-8",
    )
    proc = run("assess", str(path))
    assert proc.returncode == 1
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, "b", 4]
    assert [line["risk"] for line in lines] == ["crisis", "none", "concern"]
    for line in lines:
        assert {"id", "risk", "content_warnings", "signals"} <= set(line)
        for signal in line["signals"]:
            assert {"kind", "start", "end", "reason"} <= set(signal)
    assert "line 2" in proc.stderr
    assert "line 4" in proc.stderr


def test_stdin_and_lang() -> None:
    proc = run("assess", "-", "--lang", "es", stdin=json.dumps({"id": 7, "text": "quiero morir"}))
    assert proc.returncode == 0
    (line,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert line == {**line, "id": 7, "risk": "crisis", "lang": "es"}


def test_single_text() -> None:
    proc = run("assess", "--text", "I'm not suicidal, just exhausted")
    assert proc.returncode == 0
    line = json.loads(proc.stdout)
    assert line["risk"] == "none"
    assert line["signals"][0]["kind"] == "negated"


def test_missing_file_is_reported() -> None:
    proc = run("assess", "/nonexistent/file.jsonl")
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr
