"""Nothing outside a docs root is ever opened: every path build_schema opens is recorded and checked."""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path
from typing import Any

import pytest

from generator import ir

from .builders import OK_PAGE, field_row, model_page, run_schema, symlink, write_tree
from .cases_files import LINKS
from .registry import MARKER


def _hostile_root(tmp_path: Path) -> Path:
    """A root whose pages link outside it and whose symlinks (page, folder, README, device) leave it."""
    outside = write_tree(tmp_path / "outside", {"secret.md": model_page("Secret", [field_row(MARKER)]),
                                                "models/shared/leak.md": model_page("Leak", [field_row(MARKER)])})
    links = [field_row(f"f{i}", link) for i, link in enumerate(LINKS)]
    links.append(field_row("secret", f"[Secret]({outside / 'secret.md'})"))
    links.append(field_row("relative", "[Secret](../../../../outside/secret.md)"))
    root = write_tree(tmp_path / "api", {"docs/models/shared/ok.md": OK_PAGE,
                                         "docs/models/shared/links.md": model_page("Links", links),
                                         ".speakeasy/gen.lock": "generatedFiles:\n  - ../outside/secret.md\n"
                                                                "  - docs/models/shared/ok.md\n  - docs/models/shared/links.md\n"})
    symlink(root / "docs/models/shared/secret.md", outside / "secret.md")
    symlink(root / "docs/models/linked", outside / "models")
    symlink(root / "docs/models/shared/dir.md", outside / "models")
    symlink(root / "README.md", outside / "secret.md")
    symlink(root / "USAGE.md", Path("/etc/passwd"))
    symlink(root / "docs/models/shared/passwd.md", Path("/etc/passwd"))
    symlink(root / "docs/up", Path("../.."))
    return root


def test_only_files_inside_the_root_are_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """io.open / builtins.open / os.open are wrapped; every opened path must resolve inside the root."""
    root = _hostile_root(tmp_path)
    opened: list[Path] = []

    def recording(real: Any) -> Any:
        def wrapper(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, bytes, os.PathLike)):
                opened.append(Path(os.fsdecode(file)))
            return real(file, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(io, "open", recording(io.open))
    monkeypatch.setattr(builtins, "open", recording(builtins.open))
    monkeypatch.setattr(os, "open", recording(os.open))
    schema = run_schema(root)
    monkeypatch.undo()
    inside = root.resolve()
    assert any(p.name == "ok.md" for p in opened), "the recorder saw no read at all"
    leaked = [p for p in opened if not p.resolve().is_relative_to(inside)]
    assert not leaked, leaked
    assert MARKER not in ir.dump_json(schema)
    assert sorted(m.name for m in schema.models) == ["Links", "Okay"]
    assert sorted(d.file for d in schema.diagnostics if d.code == "W103" and d.line == 0) == [
        "docs/models/shared/passwd.md", "docs/models/shared/secret.md"]
