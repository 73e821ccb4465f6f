"""Generate an SDK through the public CLI (`docs2sdk generate`) into a temporary folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .paths import DOCS2SDK


def generate(docs: Path, out: Path, config: Path | None = None, timeout: float = 300) -> Path:
    """Run `docs2sdk generate DOCS -o OUT [-c CONFIG]`; fail the test with its output on error."""
    command = [str(DOCS2SDK), "generate", str(docs), "-o", str(out)] + (["-c", str(config)] if config else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    if "No such command 'generate'" in done.stderr:
        pytest.fail("`docs2sdk generate` does not exist yet; the usage harness needs it")
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return out
