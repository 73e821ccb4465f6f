"""Inputs that hang build_schema: each runs in a child process that is killed after a timeout.

The timeouts are hang detectors, not benchmarks: the same inputs take well under a
second once fixed (the input sizes are chosen so that a quadratic scan takes minutes).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .builders import OK_PAGE, RESULT_PAGE, group_page, union_page, write_tree

ROOT = Path(__file__).resolve().parents[2]
HANG_SECONDS = 10
PROGRAM = ("import sys; from generator.pipeline import build_schema; from generator.config import Config; "
           "s = build_schema(sys.argv[1:], Config()); print(sorted({d.code for d in s.diagnostics}))")


def _finishes(*docs: Path) -> str:
    """build_schema in a child process; its stdout (the diagnostic codes), or fail on timeout."""
    try:
        proc = subprocess.run([sys.executable, "-c", PROGRAM, *map(str, docs)], capture_output=True, text=True,
                              timeout=HANG_SECONDS, env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"build_schema did not finish within {HANG_SECONDS}s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_a_fifo_named_x_md_does_not_hang(tmp_path: Path) -> None:
    """A named pipe in the docs tree is reported, not read."""
    root = write_tree(tmp_path / "api", {"docs/models/shared/ok.md": OK_PAGE})
    os.mkfifo(root / "docs/models/shared/pipe.md")
    assert "E002" in _finishes(root)


def test_a_union_code_block_full_of_colons_does_not_hang(tmp_path: Path) -> None:
    """200 KB of ':' in a union variant's code block."""
    page = union_page("U", [("A", "str")]).replace("a: str = /* values here */", ":" * 200_000)
    root = write_tree(tmp_path / "api", {"docs/models/shared/u.md": page})
    _finishes(root)


def test_a_non_python_example_of_s_dots_does_not_hang(tmp_path: Path) -> None:
    """200 KB of `s.` in a Go example block."""
    page = group_page("g", ["op"], example="s." * 100_000, fence="go", param_type="*string*")
    root = write_tree(tmp_path / "api", {"docs/sdks/g/README.md": page, "docs/models/operations/result.md": RESULT_PAGE})
    _finishes(root)


def test_large_but_linear_inputs_finish(tmp_path: Path) -> None:
    """Controls for the cases above: the same shapes, well-formed, finish in a child process."""
    union = union_page("U", [(f"V{i}", "str") for i in range(2_000)])
    group = group_page("g", [f"op{i}" for i in range(300)], example="import lib\n\ns = lib.Lib()\nres = s.g.op0(value='x')")
    root = write_tree(tmp_path / "api", {"docs/models/shared/u.md": union, "docs/sdks/g/README.md": group,
                                         "docs/models/operations/result.md": RESULT_PAGE})
    found = ast.literal_eval(_finishes(root))
    assert not [code for code in found if code.startswith("E")], found
