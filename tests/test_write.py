"""Writing OUT: atomic swap, manifest, untouched unchanged files, kept user files, refusals; the
CLI exit codes around it (docs errors and invalid generated code stop before anything is written)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gen_helpers import INPUT_DOCS
from generator import cli
from generator import write as write_module
from generator.format import FormatError, format_files
from generator.write import MANIFEST, WriteError, sha256, write_tree

FILES = {"pkg/__init__.py": "x = 1\n", "pkg/a.py": "a = 1\n", "README.md": "# r\n"}


def write(out: Path, files: dict[str, str], force: bool = False) -> None:
    write_tree(out, files, generator="docs2sdk test", force=force)


def test_fresh_write_with_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, FILES)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["files"] == {p: sha256(t.encode()) for p, t in FILES.items()}
    assert (out / "pkg" / "a.py").read_text() == "a = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no temporary folder is left behind"


def test_refuses_non_empty_folder_without_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(WriteError, match="--force"):
        write(out, FILES)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    write(out, FILES, force=True)
    assert (out / "notes.txt").read_text() == "mine" and (out / "pkg" / "a.py").exists()


def test_rewrite_keeps_unchanged_files_and_user_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {**FILES, "pkg/stale.py": "old = 1\n"})
    (out / "user").mkdir()
    (out / "user" / "notes.txt").write_text("mine")
    (out / "pkg" / "local.py").write_text("# mine\n")
    before = (out / "pkg" / "a.py").stat()
    os.utime(out / "pkg" / "a.py", ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    before = (out / "pkg" / "a.py").stat()
    write(out, {**FILES, "pkg/__init__.py": "x = 2\n"})
    after = (out / "pkg" / "a.py").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "unchanged file was touched"
    assert (out / "pkg" / "__init__.py").read_text() == "x = 2\n"
    assert not (out / "pkg" / "stale.py").exists(), "a file docs2sdk wrote and no longer generates is removed"
    assert (out / "user" / "notes.txt").read_text() == "mine" and (out / "pkg" / "local.py").exists()


def test_refuses_to_overwrite_a_user_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, FILES)
    (out / "pkg" / "new.py").write_text("# mine\n")
    with pytest.raises(WriteError, match="not written by docs2sdk"):
        write(out, {**FILES, "pkg/new.py": "generated = 1\n"})
    assert (out / "pkg" / "new.py").read_text() == "# mine\n"


@pytest.mark.parametrize("how", ["exchange", "rename"])
def test_failed_swap_leaves_out_untouched(how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap fails (atomic exchange, or the two-rename fallback): OUT keeps the old tree, no temp is left."""
    out = tmp_path / "out"
    write(out, FILES)
    real_rename = os.rename

    def failing_exchange(_a: object, _b: object) -> bool:
        if how == "exchange":
            raise OSError("disk full")
        return False  # a system without renameat2: the fallback renames

    def failing_rename(src: object, dst: object) -> None:
        if str(dst) == str(out) and ".docs2sdk-new-" in str(src):
            raise OSError("disk full")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "exchange", failing_exchange)
    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(OSError):
        write(out, {**FILES, "pkg/a.py": "a = 2\n"})
    monkeypatch.undo()
    assert (out / "pkg" / "a.py").read_text() == "a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_invalid_generated_code_is_reported_with_file_and_line() -> None:
    with pytest.raises(FormatError) as caught:
        format_files({"pkg/bad.py": "x = 1\n\n\ndef f(:\n    pass\n"}, use_cache=False)
    assert caught.value.path == "pkg/bad.py" and caught.value.line == 4
    with pytest.raises(FormatError) as compiled:  # black's parser accepts it; the compiler does not
        format_files({"pkg/literal.py": "1 = 1\n"}, use_cache=False)
    assert compiled.value.path == "pkg/literal.py" and compiled.value.line == 1


def test_cli_reports_invalid_code_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_schema: object, **_options: object) -> object:
        raise FormatError("bookshelf/sdk.py", 12, "Cannot parse")

    monkeypatch.setattr(cli, "generate_sdk", broken)
    result = CliRunner().invoke(cli.main, ["generate", str(INPUT_DOCS), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3 and "bookshelf/sdk.py:12" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_cli_docs_errors_write_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(INPUT_DOCS, docs)
    page = docs / "docs" / "models" / "shared" / "author.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("| `name`"))
    lines[row] = "| `name` | *str* |"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["generate", str(docs), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3 and "E101" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_refuses_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    result = CliRunner().invoke(cli.main, ["generate", str(INPUT_DOCS), "-o", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_cli_check_reports_stale_output(tmp_path: Path) -> None:
    """`docs2sdk check` exits 0 on a fresh OUT and 1 once a generated file was edited."""
    out = tmp_path / "o"
    runner = CliRunner()
    assert runner.invoke(cli.main, ["generate", str(INPUT_DOCS), "-o", str(out)]).exit_code == 0
    assert runner.invoke(cli.main, ["check", str(INPUT_DOCS), "-o", str(out)]).exit_code == 0
    (out / "README.md").write_text("edited\n")
    result = runner.invoke(cli.main, ["check", str(INPUT_DOCS), "-o", str(out), "--diff"])
    assert result.exit_code == 1 and "README.md: changed" in result.output and "-edited" in result.output


def test_nothing_changed_touches_nothing(tmp_path: Path) -> None:
    """A write of the same files changes nothing: not a file, not OUT itself, no temporary folder."""
    out = tmp_path / "out"
    write(out, FILES)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [out, *out.rglob("*")]}
    report = write_tree(out, FILES, generator="docs2sdk test")
    assert report.written == () and report.removed == () and report.changed == 0
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [out, *out.rglob("*")]} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_symlinked_out_is_followed(tmp_path: Path) -> None:
    """OUT given as a symlink to a folder: the folder is replaced, the link stays a link."""
    real = tmp_path / "real"
    write(real, FILES)
    link = tmp_path / "link"
    link.symlink_to(real)
    write(link, {**FILES, "pkg/a.py": "a = 2\n"})
    assert link.is_symlink() and (real / "pkg" / "a.py").read_text() == "a = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
