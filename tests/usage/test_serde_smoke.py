"""bench/serde.py works end to end on a tiny seeded payload (no timings are asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable

from support.paths import REPO, corpus

LIBRARIES = ("docs2sdk ", "pydantic ", "dataclasses-json ")


def test_serde_bench_quick_run(generated_sdk: Callable[[str], Path]) -> None:
    """`bench/serde.py --quick` round-trips the payload through all three libraries and prints the table."""
    corpus("airbyte-python")
    command = [sys.executable, str(REPO / "bench" / "serde.py"), "--quick", "--count", "5",
               "--sdk", str(generated_sdk("airbyte-python"))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith(LIBRARIES)]
    assert [row.split()[0] for row in rows] == ["docs2sdk", "pydantic", "dataclasses-json"], done.stdout
    assert all(row.rstrip().endswith(" ok") for row in rows), done.stdout
    assert "goals:" in done.stdout
