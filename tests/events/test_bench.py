"""The listing benchmark fails (exit status 1) when it misses its target, so a script or a
CI step that runs it notices; the benchmark itself is not run here."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_listing_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_events_listing", ROOT / "bench/events/listing.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_listing_bench_exits_non_zero_when_a_p95_misses_50_ms():
    bench = load_listing_bench()
    fast = [5.0] * 95 + [49.0] * 5
    slow_tail = [5.0] * 90 + [80.0] * 10

    assert bench.TARGET_P95_MS == 50
    assert bench.exit_status({"query": fast, "page": fast, "groups": fast}) == 0
    assert bench.exit_status({"query": fast, "page": slow_tail, "groups": fast}) == 1
