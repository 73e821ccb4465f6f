"""`docs2sdk schema` on every hostile tree: exit 0 or 3 (docs errors), never 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .cases import CASES, HostileCase

ROOT = Path(__file__).resolve().parents[2]


def _command() -> list[str]:
    """The installed `docs2sdk` script beside this interpreter, else `python -m generator.cli`."""
    script = Path(sys.executable).with_name("docs2sdk")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "generator.cli"]


def _params() -> list[object]:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.cli_bug)] if c.cli_bug else [])
            for c in CASES]


@pytest.mark.parametrize("hostile", _params())
def test_cli_on_hostile_tree(hostile: HostileCase, tmp_path: Path) -> None:
    """A fresh process writes the IR with -o (the file path is the stricter one: UTF-8, no surrogates)."""
    docs, _check = hostile.build(tmp_path / "tree")
    out = tmp_path / "ir.json"
    proc = subprocess.run([*_command(), "schema", *docs, "-o", str(out)], cwd=tmp_path, capture_output=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    assert proc.returncode in hostile.cli_exit, f"exit {proc.returncode}\n{stderr[-3000:]}"
    assert out.is_file() == (proc.returncode == 0)
