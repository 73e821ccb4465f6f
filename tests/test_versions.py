"""`versions.installed_version` reads what importlib.metadata reads, without importing it."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from generator import versions


@pytest.mark.parametrize("name", ["black", "markdown-it-py", "markdown_it_py", "Jinja2", "click", "docs2sdk", "pytest"])
def test_versions_are_importlib_metadatas(name: str) -> None:
    assert versions._scan(name) == version(name)
    assert versions.installed_version(name) == version(name)


def test_a_missing_package_has_no_version() -> None:
    assert versions.installed_version("docs2sdk-no-such-package") is None


def test_the_first_path_entry_wins_and_odd_folders_fall_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, number in ((first, "1.0"), (second, "2.0")):
        meta = folder / f"Fake_Pkg-{number}.dist-info"
        meta.mkdir(parents=True)
        (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fake-pkg\nVersion: {number}\n\nBody\n")
    monkeypatch.setattr(sys, "path", [str(first), str(second)])
    assert versions._scan("fake-pkg") == "1.0" == version("fake-pkg")
    (first / "fake_pkg-1.1.dist-info").mkdir()  # two folders in one entry: importlib.metadata decides
    assert versions._scan("fake-pkg") is None
