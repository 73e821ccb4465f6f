"""Format generated Python with black (pinned, in process); report invalid code by file and line.

black's cost grows with tokens, and a generated module is a long run of independent top-level
blocks (classes, functions, constants) that templates separate by two blank lines. Each block
is formatted alone and joined back with two blank lines, which is exactly how black lays out
top-level statements (tests check that black leaves every generated file unchanged). That
makes two things possible: a cache of formatted blocks keyed by black's version and the
block's text (reused across runs), and formatting the cache misses on several processes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Optional

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

MODE = black.Mode(target_versions={TargetVersion.PY310})
BLACK_VERSION = version("black")
_SEPARATOR = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+(?=\S)")
_PARALLEL_MIN = 400  # blocks to format before a process pool pays for itself
_CACHE_LIMIT = 60000  # blocks kept across runs (about 60 MB of formatted code)


@dataclass(frozen=True)
class FormatError(Exception):
    """A template produced code black cannot parse: the file, line and black's message."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: generated code is not valid Python ({self.message})"


def _line_of(exc: Exception) -> int:
    match = re.search(r"annot parse[^:]*: (\d+):", str(exc))
    return int(match.group(1)) if match else 0


def format_source(path: str, source: str) -> str:
    """One source through black; FormatError when it is not valid Python."""
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as exc:
        raise FormatError(path, _line_of(exc), str(exc).splitlines()[0][:300]) from None
    except Exception as exc:  # noqa: BLE001 - black's internal errors carry no location either
        raise FormatError(path, 0, f"{type(exc).__name__}: {exc}"[:300]) from None


def split_blocks(source: str) -> list[str]:
    """Top-level blocks: the text between runs of two or more blank lines (block-local text only)."""
    return [block.strip("\n") + "\n" for block in _SEPARATOR.split(source) if block.strip()]


def _key(block: str) -> str:
    return hashlib.sha256(f"{BLACK_VERSION}|{MODE!r}|{block}".encode()).hexdigest()[:32]


class BlockCache:
    """Formatted blocks by key, stored as one JSON file in the user's cache folder."""

    def __init__(self, path: Optional[Path]) -> None:
        self.path = path
        self.blocks: dict[str, str] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self.blocks = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.blocks = {}

    def save(self, used: set[str]) -> None:
        """Write the cache atomically; past `_CACHE_LIMIT` blocks only this run's are kept."""
        if self.path is None or not self.dirty:
            return
        keys = sorted(self.blocks) if len(self.blocks) <= _CACHE_LIMIT else sorted(used & set(self.blocks))
        kept = {k: self.blocks[k] for k in keys}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".blocks-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(kept, handle)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def default_cache() -> Optional[Path]:
    """`$DOCS2SDK_CACHE_DIR`, else the user cache folder; None when DOCS2SDK_NO_CACHE is set."""
    if os.environ.get("DOCS2SDK_NO_CACHE"):
        return None
    base = os.environ.get("DOCS2SDK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "docs2sdk")
    return Path(base) / f"black-{BLACK_VERSION}" / "blocks.json"


def _format_block(item: tuple[str, str]) -> tuple[str, Optional[str]]:
    """(key, formatted) or (key, None) when the block alone is not valid Python.

    A block is only cached once CPython compiles it too (black's parser accepts `1 = 1`), so
    files assembled from cached blocks need no second check."""
    key, block = item
    try:
        formatted = black.format_str(block, mode=MODE)
        compile(formatted, "<block>", "exec", dont_inherit=True)
        return key, formatted
    except Exception:  # noqa: BLE001 - the whole file is formatted instead, which reports it
        return key, None


def _format_missing(missing: dict[str, str]) -> dict[str, Optional[str]]:
    """Format uncached blocks, on all cores when there are many."""
    items = sorted(missing.items())
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < _PARALLEL_MIN or workers < 2 or "fork" not in _start_methods():
        return dict(map(_format_block, items))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        return dict(pool.map(_format_block, items, chunksize=max(1, len(items) // (workers * 4))))


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def check_compiles(path: str, source: str) -> None:
    """black's parser accepts some invalid code (`1 = 1`); CPython's compiler has the last word."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise FormatError(path, line, str(getattr(exc, "msg", exc))[:300]) from None


def format_files(files: dict[str, str], cache_path: Optional[Path] = None, use_cache: bool = True) -> dict[str, str]:
    """Every `.py` file formatted (block by block, cached) and compiled; other files unchanged."""
    cache = BlockCache(cache_path if cache_path is not None else default_cache() if use_cache else None)
    split = {path: split_blocks(text) for path, text in files.items() if path.endswith(".py")}
    keyed = {path: [(_key(b), b) for b in blocks] for path, blocks in split.items()}
    missing = {k: b for pairs in keyed.values() for k, b in pairs if k not in cache.blocks}
    for key, formatted in _format_missing(missing).items():
        if formatted is not None:
            cache.blocks[key] = formatted
            cache.dirty = True
    out = {}
    for path, text in files.items():
        if path not in keyed:
            out[path] = text
        elif all(k in cache.blocks for k, _ in keyed[path]):
            out[path] = "\n\n".join(cache.blocks[k] for k, _ in keyed[path])
        else:
            out[path] = format_source(path, text)
            check_compiles(path, out[path])
    cache.save({k for pairs in keyed.values() for k, _ in pairs})
    return out
