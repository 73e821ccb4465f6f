"""Format generated Python exactly as black (pinned) does; report invalid code by file and line.

A generated module is a run of independent top-level blocks that templates separate by two
blank lines, and black lays out top-level blocks the same way, so each block is formatted on
its own and the blocks are joined back (tests check black leaves every generated file
unchanged). Within a block, `format_lines` keeps the statements that templates already lay
out as black does and hands black only the others, one statement at a time. Formatted blocks
are cached across runs (sqlite in the user cache folder, keyed by black's version and the
block's text), and a large batch of black work is spread over worker processes.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from . import format_black, format_lines
from .cache import cache_root
from .format_plan import Pending, compiles, plan_blocks
from .progress import Reporter
from .sqlite_table import KeyedTable
from .versions import installed_version
from .workers import cores, worker_init

if TYPE_CHECKING:  # pragma: no cover - black is imported only when something needs formatting
    import black

BLACK_VERSION = installed_version("black") or "unknown"
FORMAT_VERSION = "2"  # bump when the way blocks are assembled changes (invalidates cached blocks)
_MODE_ID = "line_length=88;target_versions=py310"
_SEPARATOR = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+(?=\S)")
_PARALLEL_MIN = 60_000  # characters of black work before a process pool pays for itself
_CACHE_LIMIT = 60_000  # blocks kept across runs (about 60 MB of formatted code)


def black_mode() -> "black.Mode":
    """The pinned black mode (black is imported on first use: it costs ~0.2 s)."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310})


def __getattr__(name: str) -> Any:
    """`MODE` on demand, so that importing this module does not import black."""
    if name == "MODE":
        return black_mode()
    raise AttributeError(name)


class FormatError(Exception):
    """A template produced code black cannot parse: the file, line and black's message.

    A plain exception with attributes (not a frozen dataclass: Python must be able to set
    `__traceback__` and `__context__` when it crosses `with` blocks and generators).
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: generated code is not valid Python ({self.message})"


def _line_of(exc: Exception) -> int:
    match = re.search(r"annot parse[^:]*: (\d+):", str(exc))
    return int(match.group(1)) if match else 0


def format_source(path: str, source: str) -> str:
    """One source through black; FormatError when it is not valid Python."""
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=black_mode())
    except InvalidInput as exc:
        raise FormatError(path, _line_of(exc), str(exc).splitlines()[0][:300]) from None
    except Exception as exc:  # noqa: BLE001 - black's internal errors carry no location either
        raise FormatError(path, 0, f"{type(exc).__name__}: {exc}"[:300]) from None


_TOP_LEVEL_DEF = re.compile(r"(?:async\s+def|def|class)\b|@")


def _ends_with_import(block: str) -> bool:
    """The last top-level statement of a block is an import (its first line starts at column 0)."""
    for line in reversed(block.rstrip("\n").split("\n")):
        if line and not line[0].isspace() and not line.startswith((")", "]", "}", "#")):
            return line.startswith(("import ", "from "))
    return False


def join_blocks(parts: list[str]) -> str:
    """Formatted blocks joined as black separates them: two blank lines, but one after module-level
    imports when what follows is neither an import nor a def, class or decorator."""
    out = parts[:1]
    for before, block in zip(parts, parts[1:]):
        first = next((line for line in block.split("\n") if line and not line.startswith("#")), "")
        tight = _ends_with_import(before) and not first.startswith(("import ", "from ")) \
            and not _TOP_LEVEL_DEF.match(first)
        out.append(("\n" if tight else "\n\n") + block)
    return "".join(out)


def check_compiles(path: str, source: str) -> None:
    """black's parser accepts some invalid code (`1 = 1`); CPython's compiler has the last word."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise FormatError(path, line, str(getattr(exc, "msg", exc))[:300]) from None


def split_blocks(source: str) -> list[str]:
    """Top-level blocks: the text between runs of two or more blank lines (block-local text only)."""
    return [block.strip("\n") + "\n" for block in _SEPARATOR.split(source) if block.strip()]


def _key(block: str) -> str:
    return hashlib.sha256(f"{BLACK_VERSION}|{_MODE_ID}|{FORMAT_VERSION}|{block}".encode()).hexdigest()[:32]


class BlockCache(KeyedTable):
    """Formatted blocks by key in one sqlite file (safe for concurrent runs; a failure only costs time)."""

    def __init__(self, path: Optional[Path]) -> None:
        super().__init__(path, "blocks", "text", "TEXT", _CACHE_LIMIT)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The cached blocks among `keys`."""
        return {key: str(text) for key, text in self.get_raw(keys).items()}

    def put_many(self, items: dict[str, str]) -> None:
        """Store blocks; past `_CACHE_LIMIT` the oldest are dropped."""
        self.put_raw(list(items.items()))


def default_cache() -> Optional[Path]:
    """The block cache file in the user cache folder; None when DOCS2SDK_NO_CACHE is set."""
    root = cache_root()
    return None if root is None else root / f"black-{BLACK_VERSION}" / "blocks.sqlite"


def _black_job(source: str) -> Optional[str]:
    """black on one source; None when black rejects it (the whole file is then formatted, which reports it)."""
    import black

    try:
        return black.format_str(source, mode=black_mode())
    except Exception:  # noqa: BLE001 - any failure falls back to the whole file, which reports it
        return None


def _run_jobs(sources: list[str], progress: Optional[Reporter]) -> dict[str, Optional[str]]:
    """black on every source, on all cores when there is much to do."""
    out: dict[str, Optional[str]] = {}
    work = sum(len(s) for s in sources)
    workers = cores()
    if work >= _PARALLEL_MIN and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # a large batch only: the import costs ~0.01 s
        from multiprocessing import get_context

        black_mode()  # import black before forking, so that workers start warm
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=worker_init,
                                 initargs=(os.getpid(),)) as pool:
            for source, result in zip(sources, pool.map(_black_job, sources, chunksize=8)):
                out[source] = result
                if progress:
                    progress.advance()
        return out
    warm = format_black.current()
    answers = warm.run(sources) if warm is not None and sources else None
    for index, source in enumerate(sources):
        out[source] = answers[index] if answers is not None else _black_job(source)
        if progress:
            progress.advance()
    return out


def _finish(item: Pending, done: dict[str, Optional[str]]) -> Optional[str]:
    """The formatted block from black's answers (None: it needs black whole, or is invalid)."""
    if item.plan is None:
        return done.get(item.block)
    lines: dict[int, list[str]] = {}
    for index, source in item.jobs.items():
        answer = done.get(source)
        unwrapped = None if answer is None else format_lines.unwrap_statement(item.plan.statements[index], answer)
        if unwrapped is None:
            return None
        lines[index] = unwrapped
    return format_lines.assemble(item.plan, lines)


@dataclass
class FormatStats:
    """What a formatting run did (for --verbose): blocks from the cache, kept, through black."""

    blocks: int = 0
    cached: int = 0
    black_jobs: int = 0
    seconds: float = 0.0
    files_cached: int = 0  # whole files from the file cache (file_cache), never formatted


def format_blocks(blocks: Iterable[str], cache: BlockCache, progress: Optional[Reporter] = None,
                  stats: Optional[FormatStats] = None) -> dict[str, Optional[str]]:
    """Formatted text of each distinct block (None for a block that is not valid Python alone)."""
    started = time.perf_counter()
    distinct = sorted(set(blocks))
    keys = {b: _key(b) for b in distinct}
    cached = cache.get_many(keys.values())
    result: dict[str, Optional[str]] = {b: cached[k] for b, k in keys.items() if k in cached}
    kept, pending = plan_blocks([b for b in distinct if b not in result])
    result.update(kept)
    sources = sorted({s for p in pending for s in (p.jobs.values() if p.plan else [p.block])})
    if progress:
        progress.phase("formatting", len(sources))
    done = _run_jobs(sources, progress)
    for item in pending:
        result[item.block] = _finish(item, done)
    retry = [item.block for item in pending if result[item.block] is None and item.plan is not None]
    done = _run_jobs(retry, None)  # an unexpected statement result: black formats the block whole
    result.update((block, done[block]) for block in retry)
    fresh = {keys[block]: text for block, text in kept.items() if text is not None}
    for item in pending:
        formatted = result[item.block]
        if formatted is not None and compiles(formatted):
            fresh[keys[item.block]] = formatted
        else:
            result[item.block] = None
    cache.put_many(fresh)
    if stats is not None:
        stats.blocks += len(distinct)
        stats.cached += len(distinct) - len(pending) - len(kept)
        stats.black_jobs += len(sources) + len(retry)
        stats.seconds += time.perf_counter() - started
    return result


def format_files(files: dict[str, str], cache_path: Optional[Path] = None, use_cache: bool = True,
                 progress: Optional[Reporter] = None, stats: Optional[FormatStats] = None) -> dict[str, str]:
    """Every `.py` file formatted (block by block, cached) and compiled; other files unchanged."""
    cache = BlockCache(cache_path if cache_path is not None else default_cache() if use_cache else None)
    try:
        split = {path: split_blocks(text) for path, text in files.items() if path.endswith(".py")}
        formatted = format_blocks((b for blocks in split.values() for b in blocks), cache, progress, stats)
    finally:
        cache.close()
    out = {}
    for path, text in files.items():
        if path not in split:
            out[path] = text
            continue
        parts = [formatted[b] for b in split[path]]
        if all(p is not None for p in parts):
            out[path] = join_blocks([p for p in parts if p is not None])
        else:
            out[path] = format_source(path, text)
            check_compiles(path, out[path])
    return out
