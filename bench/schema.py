"""Benchmark: time `docs2sdk schema` on every corpus (median of several runs), pages per second.

Usage: python bench/schema.py [--runs N] [--quick]
Runs in process (the CLI adds only start-up time); each run rebuilds the IR from disk.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.config import Config  # noqa: E402
from generator.discover import discover  # noqa: E402
from generator.ir import dump_json  # noqa: E402
from generator.pipeline import build_schema  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
NAMES = [
    "airbyte-python", "airbyte-typescript", "airbyte-php", "airbyte-java", "airbyte-go",
    "airbyte-python-2023-05", "featuretest-python-2023-11", "featuretest-typescript-2023-11",
    "speakeasy-python-2025-01",
]


def time_one(path: Path, runs: int) -> tuple[int, float]:
    """(pages, median seconds) of building and serialising the IR."""
    pages = sum(len(t.pages) for t in discover([str(path)]))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        dump_json(build_schema([str(path)], Config()))
        times.append(time.perf_counter() - start)
    return pages, statistics.median(times)


def main() -> int:
    """Print a table: corpus, pages, median seconds, pages per second."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run of input_docs only (CI smoke test)")
    args = parser.parse_args()
    targets = [("input_docs", ROOT / "input_docs")]
    if not args.quick:
        targets += [(n, CORPORA / n) for n in NAMES if (CORPORA / n).is_dir()]
    runs = 1 if args.quick else args.runs
    print(f"{'corpus':34} {'pages':>6} {'median s':>9} {'pages/s':>8}   (median of {runs} runs)")
    for name, path in targets:
        pages, seconds = time_one(path, runs)
        print(f"{name:34} {pages:6d} {seconds:9.3f} {pages / seconds:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
