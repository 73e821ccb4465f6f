"""Discover: find the docs root(s), their pages and layout; honour `.speakeasy/gen.lock`.

Only files inside a docs root are ever read; symlinks that leave it are skipped.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from .diagnostics import Diagnostic, error, note, warning

MAX_PAGE_BYTES = 8 * 1024 * 1024
_NAMESPACE = re.compile(r"(?:^|/)(?:models|internal)/(?P<ns>[^/]+)/[^/]+\.md$")
_LOCK_ENTRY = re.compile(r"^\s*-\s*(?P<path>\S+\.md)\s*$")


@dataclass(frozen=True, slots=True)
class SourcePage:
    """A markdown file to read: absolute path, display path, model namespace, README flag, and
    its bytes once `with_contents` has read them (the run key hashes the bytes the reader reads)."""

    path: Path
    rel: str
    namespace: str
    is_readme: bool = False
    data: Optional[bytes] = field(default=None, compare=False, repr=False)


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
    """True when `path`, symlinks resolved, lies under `root`; a symlink loop counts as outside."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def display(text: str) -> str:
    """A path for diagnostics and the IR: undecodable bytes (lone surrogates) become U+FFFD.

    os.walk surrogate-escapes file-name bytes that are not UTF-8; such text cannot be
    written as UTF-8. One character is replaced by one, so lengths (and prefixes) agree.
    """
    return _SURROGATE.sub("\ufffd", text)


def _leaves(rel: str, what: str) -> Diagnostic:
    return warning("W103", f"{what} leaves the docs root; not read", rel, 0,
                   "copy the page into the docs tree if it belongs to the API")


def _walk_markdown(docs: Path, base: Path, prefix: str) -> tuple[list[SourcePage], list[Diagnostic]]:
    """The `.md` files under `docs` (symlinked folders are not entered; symlinked pages leaving `base` are W103)."""
    pages: list[SourcePage] = []
    diags: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(docs, followlinks=False):
        dirnames.sort()
        folder = Path(dirpath)
        if not _inside(folder, base):
            diags.append(_leaves(display(prefix + folder.relative_to(base).as_posix()), "folder"))
            dirnames.clear()
            continue
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            path = folder / name
            rel = display(prefix + path.relative_to(base).as_posix())
            if path.is_symlink() and not _inside(path, base):
                diags.append(_leaves(rel, "symlink"))
                continue
            pages.append(SourcePage(path, rel, namespace_of(rel)))
    return pages, diags


def _gen_lock_listing(base: Path) -> set[str] | None:
    """The pages `.speakeasy/gen.lock` lists, when the lock file lies inside `base`."""
    lock = base / ".speakeasy" / "gen.lock"
    if not lock.is_file() or lock.is_symlink() or not _inside(lock, base):
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
    pages, diags = _walk_markdown(docs, base, prefix)  # a docs/ symlink leaving base is W103 there
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
        diags.append(error("E001", f"no markdown pages under {display(str(base))}", display(str(base)), 0,
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
            loose.append(SourcePage(path, display(path.name), ""))
        else:
            missing.append(error("E001", f"{display(raw)}: no such docs tree or markdown page", display(raw), 0,
                                 "pass a repository root holding docs/, a docs folder, or .md files"))
    if loose or missing:
        trees.append(DocsTree(Path("."), tuple(loose), loose=True, diagnostics=tuple(missing)))
    return trees


def _regular_bytes(page: SourcePage) -> Optional[bytes]:
    """The bytes of a regular file of at most MAX_PAGE_BYTES, else None."""
    try:
        info = os.stat(page.path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PAGE_BYTES:
            return None
        return page.path.read_bytes()
    except OSError:
        return None


def with_contents(trees: list[DocsTree]) -> list[DocsTree]:
    """The trees with the bytes of each readable page (`SourcePage.data`), read once for the run
    key and the reader; a page that cannot be read keeps None and `read_text` reports it."""
    return [replace(tree, pages=tuple(replace(page, data=_regular_bytes(page)) for page in tree.pages))
            for tree in trees]


def read_text(page: SourcePage) -> tuple[str, Diagnostic | None]:
    """Read a regular file as UTF-8 text (a BOM dropped); others, oversize or undecodable files become E002.

    Line ends are normalised as markdown-it does (`\\r\\n` and `\\r` become `\\n`), so the
    reader's raw lines and markdown-it's line map agree.
    """
    if page.data is not None and len(page.data) <= MAX_PAGE_BYTES:
        return _decoded(page, page.data)
    try:
        info = os.stat(page.path)  # follows symlinks: the file that would be opened
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return "", error("E002", "page is not a regular file", page.rel, 0, "docs pages are plain files")
        if info.st_size > MAX_PAGE_BYTES:
            return "", error("E002", f"page is larger than {MAX_PAGE_BYTES} bytes", page.rel, 0, "split the page")
        return _decoded(page, page.path.read_bytes())
    except OSError as exc:
        return "", error("E002", f"page cannot be read: {exc.strerror}", page.rel, 0, "check file permissions")


def _decoded(page: SourcePage, data: bytes) -> tuple[str, Diagnostic | None]:
    """A page's bytes as text with markdown-it's line ends, or E002 when they are not UTF-8."""
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"), None
    except UnicodeDecodeError as exc:
        return "", error("E002", f"page is not UTF-8 ({exc.reason} at byte {exc.start})", page.rel, 0,
                         "save the page as UTF-8")
