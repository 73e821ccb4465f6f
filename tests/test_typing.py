"""The generator's own code passes `mypy --strict` (the generated SDK is checked in test_generate)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_generator_package_is_mypy_strict_clean() -> None:
    """mypy --strict over the generator package reports no issue."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "-p", "generator"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
