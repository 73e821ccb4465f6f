"""Discover: find the docs root(s), their pages and layout; honour `.speakeasy/gen.lock`.

Only files inside a docs root are ever read; symlinks that leave it are skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error, note, warning

MAX_PAGE_BYTES = 8 * 1024 * 1024
_NAMESPACE = re.compile(r"(?:^|/)(?:models|internal)/(?P<ns>[^/]+)/[^/]+\.md$")
_LOCK_ENTRY = re.compile(r"^\s*-\s*(?P<path>\S+\.md)\s*$")


@dataclass(frozen=True, slots=True)
class SourcePage:
    """A markdown file to read: absolute path, display path, model namespace, README flag."""

    path: Path
    rel: str
    namespace: str
    is_readme: bool = False


@dataclass(frozen=True, slots=True)
class DocsTree:
    """One DOCS argument: a repository root holding docs/, a docs folder, or loose pages."""

    root: Path
    pages: tuple[SourcePage, ...]
    loose: bool
    diagnostics: tuple[Diagnostic, ...] = ()


def namespace_of(rel: str) -> str:
    """`docs/models/shared/x.md` -> `shared`, `docs/internal/utils/x.md` -> `utils`; others have none."""
    match = _NAMESPACE.search(rel)
    return match.group("ns") if match else ""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def _walk_markdown(docs: Path, base: Path, prefix: str) -> tuple[list[SourcePage], list[Diagnostic]]:
    pages: list[SourcePage] = []
    diags: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(docs, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            path = Path(dirpath) / name
            rel = prefix + path.relative_to(base).as_posix()
            if path.is_symlink() and not _inside(path, base):
                diags.append(warning("W103", "symlink leaves the docs root; not read", rel, 0,
                                     "copy the page into the docs tree if it belongs to the API"))
                continue
            pages.append(SourcePage(path, rel, namespace_of(rel)))
    return pages, diags


def _gen_lock_listing(base: Path) -> set[str] | None:
    lock = base / ".speakeasy" / "gen.lock"
    if not lock.is_file() or lock.is_symlink():
        return None
    listed = set()
    for line in lock.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LOCK_ENTRY.match(line)
        if match:
            listed.add(match.group("path"))
    return listed or None


def _tree(base: Path, prefix: str) -> DocsTree:
    """A directory argument: `base/docs` + README/USAGE, or `base` itself as the docs folder."""
    docs = base / "docs" if (base / "docs").is_dir() else base
    pages, diags = _walk_markdown(docs, base, prefix)
    listed = _gen_lock_listing(base)
    if listed is not None:
        kept = []
        for page in pages:
            if page.rel[len(prefix):] in listed:
                kept.append(page)
            else:
                diags.append(note("N101", "page is not listed in .speakeasy/gen.lock; skipped as stale", page.rel, 0,
                                  "gen.lock lists the files the generator last wrote"))
        pages = kept
    for special in ("README.md", "USAGE.md"):
        path = base / special
        if docs != base and path.is_file() and _inside(path, base):
            pages.append(SourcePage(path, prefix + special, "", is_readme=True))
    if not pages:
        diags.append(error("E001", f"no markdown pages under {base}", str(base), 0,
                           "pass a repository root holding docs/, a docs folder, or .md files"))
    return DocsTree(base, tuple(pages), loose=False, diagnostics=tuple(diags))


def discover(paths: list[str]) -> list[DocsTree]:
    """Turn DOCS arguments into trees; loose files are grouped into one tree."""
    trees: list[DocsTree] = []
    loose: list[SourcePage] = []
    missing: list[Diagnostic] = []
    dirs = [p for p in paths if Path(p).is_dir()]
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            prefix = f"{path.resolve().name}/" if len(dirs) > 1 else ""
            trees.append(_tree(path, prefix))
        elif path.is_file() and path.suffix in (".md", ".txt", ".markdown"):
            loose.append(SourcePage(path, path.name, ""))
        else:
            missing.append(error("E001", f"{raw}: no such docs tree or markdown page", raw, 0,
                                 "pass a repository root holding docs/, a docs folder, or .md files"))
    if loose or missing:
        trees.append(DocsTree(Path("."), tuple(loose), loose=True, diagnostics=tuple(missing)))
    return trees


def read_text(page: SourcePage) -> tuple[str, Diagnostic | None]:
    """Read a page as UTF-8 text; oversize or undecodable files become E002."""
    try:
        if page.path.stat().st_size > MAX_PAGE_BYTES:
            return "", error("E002", f"page is larger than {MAX_PAGE_BYTES} bytes", page.rel, 0, "split the page")
        data = page.path.read_bytes()
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"), None
    except UnicodeDecodeError as exc:
        return "", error("E002", f"page is not UTF-8 ({exc.reason} at byte {exc.start})", page.rel, 0,
                         "save the page as UTF-8")
    except OSError as exc:
        return "", error("E002", f"page cannot be read: {exc.strerror}", page.rel, 0, "check file permissions")
