"""The distribution: a wheel built from the checkout holds everything `generate` needs (the
templates live beside the package in the checkout and inside it once installed), and an
installed wheel, not the checkout, generates exactly the committed SDK of input_docs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from gen_helpers import INPUT_DOCS, ROOT


def _wheel(tmp_path: Path) -> Path:
    """A wheel built (pip, isolated build) from a copy of the checkout's sources."""
    source = tmp_path / "src"
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", source / "templates")
    shutil.copy(ROOT / "pyproject.toml", source / "pyproject.toml")
    out = tmp_path / "dist"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (wheel,) = out.glob("docs2sdk-*.whl")
    return wheel


def test_an_installed_wheel_generates_the_committed_sdk(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(p.name for p in (ROOT / "templates").iterdir())
    assert sorted(n.split("/")[-1] for n in names if n.startswith("generator/templates/")) == templates
    compiled = sorted(p.name for p in (ROOT / "generator" / "compiled_templates").glob("*.py"))
    assert sorted(n.split("/")[-1] for n in names if n.startswith("generator/compiled_templates/")) == compiled
    folders = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert folders <= {n.rsplit("/", 1)[0] for n in names}, "pyproject's packages list misses a folder"
    target = tmp_path / "installed"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(target), "DOCS2SDK_NO_CACHE": "1", "CI": "true"}
    # What the `docs2sdk` console script runs, as the wheel declares it.
    points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    script = re.search(r"^docs2sdk = ([\w.]+):(\w+)$", zipfile.ZipFile(wheel).read(points).decode(), re.M)
    assert script is not None, "the wheel declares no docs2sdk console script"
    module, function = script.groups()
    code = (f"import sys, {module} as m; assert m.__file__.startswith(sys.argv.pop(1)), m.__file__; "
            f"m.{function}()")
    run = subprocess.run([sys.executable, "-c", code, str(target), "generate", str(INPUT_DOCS), "-o", str(out)],
                         capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    generated = ROOT / "generated"
    expected = {p.relative_to(generated).as_posix(): p.read_bytes() for p in generated.rglob("*")
                if p.is_file() and not p.name.startswith(".docs2sdk")}
    got = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
           if p.is_file() and not p.name.startswith(".docs2sdk")}
    assert got == expected
