"""Shared fixtures for the beacon_safety tests (no database, no Django)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DEVSET = Path(__file__).with_name("devset.jsonl")


@pytest.fixture(scope="session")
def devset() -> list[dict]:
    """Return the labelled development set."""
    with DEVSET.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `safety` (no database; skipped on the PostgreSQL run)."""
    for item in items:
        if "tests/safety/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.safety)
