"""Build a synthetic docs corpus N times the size of a real one by renaming copies of its pages.

Copy k renames every model/enum/union `Name` to `NameV{k}` (file `namev{k}.md`) and every
group `g` to `g_v{k}` (directory `gv{k}`), in titles, links and example code alike, so the
copies are distinct, fully linked APIs merged into one tree.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

_TITLE = re.compile(r"^#\s+~*([A-Za-z_][\w]*)~*\s*$", re.M)
_CALL = re.compile(r"\b(s|sdk)\.([a-z_][\w]*)\.")


def _defined_names(docs: Path) -> list[str]:
    names = set()
    for page in (docs / "models").rglob("*.md"):
        match = _TITLE.search(page.read_text(encoding="utf-8"))
        if match:
            names.add(match.group(1))
    return sorted(names, key=len, reverse=True)


def _renamer(names: list[str], k: int) -> "callable[[str], str]":  # type: ignore[name-defined]
    by_name = {n: f"{n}V{k}" for n in names}
    by_stem = {n.lower(): f"{n.lower()}v{k}" for n in names}
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    stem_re = re.compile(r"/(" + "|".join(map(re.escape, by_stem)) + r")\.md")

    def rename(text: str) -> str:
        text = stem_re.sub(lambda m: f"/{by_stem[m.group(1)]}.md", text)
        text = name_re.sub(lambda m: by_name[m.group(1)], text)
        return _CALL.sub(lambda m: f"{m.group(1)}.{m.group(2)}_v{k}.", text)

    return rename


def build_synthetic(source: Path, target: Path, copies: int) -> None:
    """Write `copies` renamed copies of `source`'s docs into `target` (a docs2sdk input tree)."""
    shutil.rmtree(target, ignore_errors=True)
    docs = source / "docs"
    names = _defined_names(docs)
    for k in range(copies):
        rename = _renamer(names, k)
        for page in docs.rglob("*.md"):
            rel = page.relative_to(docs)
            parts = list(rel.parts)
            if parts[0] == "sdks":
                parts[1] = f"{parts[1]}v{k}"
            else:
                parts[-1] = f"{page.stem}v{k}.md" if page.stem in {n.lower() for n in names} else parts[-1]
            out = target / "docs" / Path(*parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            text = rename(page.read_text(encoding="utf-8"))
            if parts[0] == "sdks":
                text = re.sub(r"^# (\S+)", lambda m: f"# {m.group(1)}_v{k}", text, count=1)
            out.write_text(text, encoding="utf-8")
    readme = source / "README.md"
    if readme.is_file():
        shutil.copy(readme, target / "README.md")
