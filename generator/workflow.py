"""The runs behind `generate` and `check`: prove OUT up to date from a cached run record, else
run the pipeline (the IR comes from the run cache when the docs did not change) and remember
what it produced. No printing and no exit codes here: the CLI decides those.

Heavy modules (the reader, the view, Jinja, black) are imported only on the slow path, so a
run that finds OUT up to date costs little more than hashing the docs and OUT.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from .cache import RunCache, RunRecord, run_key, tool_version
from .config import Config
from .discover import DocsTree, discover, with_contents
from .progress import Reporter
from .write import sha256, tree_matches

if TYPE_CHECKING:  # pragma: no cover - imported on the slow path only
    from . import ir
    from .generate import Generated
    from .page_cache import PageCache


def generator_name() -> str:
    """The `generator` entry of the manifest."""
    return f"docs2sdk {tool_version()}"


@dataclass(frozen=True)
class Counts:
    """What a run read and wrote, for the summary line."""

    models: int
    enums: int
    operations: int
    files: int

    def summary(self, changed: int, seconds: float) -> str:
        """`266 models, 32 enums, 108 operations -> 412 files (3 changed) in 0.9 s`."""
        return (f"{self.models} models, {self.enums} enums, {self.operations} operations -> "
                f"{self.files} files ({changed} changed) in {seconds:.1f} s")

    def to_dict(self) -> dict[str, int]:
        """For the run record."""
        return {"models": self.models, "enums": self.enums, "operations": self.operations, "files": self.files}

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> "Counts":
        """Inverse of to_dict."""
        return cls(data["models"], data["enums"], data["operations"], data["files"])


def read_docs(paths: list[str], config: Config, store: Optional["PageCache"],
              trees: Optional[list[DocsTree]] = None) -> tuple["ir.Schema", str]:
    """The IR of DOCS (or of `trees`, DOCS discovered already), its pages read on all cores and
    kept in `store` (None: no page cache); and a --verbose note of what the page cache gave.
    The store's connection is closed when the pages are read (a deferring store reopens it)."""
    from .pipeline import build_schema
    from .workers import cores

    try:
        schema = build_schema(paths, config, store=store, workers=cores(), trees=trees)
    finally:
        if store is not None:
            store.close()
    if store is None:
        return schema, ""
    kept = len(store.pending) if store.defer else store.stored
    return schema, f"docs2sdk: page cache: {store.found} pages found, {kept} kept"


def page_store(cache_folder: Optional[Path], defer: bool = False) -> Optional["PageCache"]:
    """The page cache in a cache folder (None when caching is off)."""
    if cache_folder is None:
        return None
    from .page_cache import PageCache

    return PageCache.in_folder(cache_folder, defer)


def counts_of(schema: "ir.Schema", files: int) -> Counts:
    """Counts of an IR and the number of files generated from it."""
    return Counts(len(schema.models), len(schema.enums), sum(len(g.operations) for g in schema.groups), files)


@dataclass
class Run:
    """One `generate` or `check`: its cache key, what the cache knew, timings by phase."""

    paths: list[str]
    config: Config
    cache: RunCache
    key: Optional[str] = None
    record: Optional[RunRecord] = None
    schema_from_cache: bool = False
    page_note: str = ""
    trees: Optional[list[DocsTree]] = None  # DOCS discovered, with the page bytes the key hashed
    timings: dict[str, float] = field(default_factory=dict)
    caches_kept: Callable[[], None] = lambda: None  # waits for the background store of `schema`

    @classmethod
    def start(cls, paths: list[str], config: Config, cache: Optional[RunCache] = None) -> "Run":
        """Hash the inputs and look the run up."""
        started = time.perf_counter()
        run = cls(paths, config, cache if cache is not None else RunCache.default())
        if run.cache.folder is not None:
            run.trees = with_contents(discover(paths))
            run.key, _pages = run_key(run.trees, config)
            run.record = run.cache.record(run.key)
        run.timings["fingerprint"] = time.perf_counter() - started
        return run

    def up_to_date(self, out: Path) -> bool:
        """True when the run record proves OUT holds exactly what this run would write."""
        started = time.perf_counter()
        found = self.record is not None and tree_matches(out, self.record.files, generator_name())
        self.timings["verify"] = time.perf_counter() - started
        return found

    def schema(self, progress: Optional[Reporter] = None) -> "ir.Schema":
        """The IR: from the run cache when these inputs were read before, else from the docs."""
        from . import ir

        started = time.perf_counter()
        text = self.cache.schema_json(self.key)
        if text is not None:
            try:
                schema = ir.load_json(text)
                self.schema_from_cache = True
                self.timings["read (cached IR)"] = time.perf_counter() - started
                return schema
            except (ValueError, KeyError, TypeError):
                pass
        if progress:
            progress.phase("reading docs")
        store = page_store(self.cache.root, defer=True)
        schema, self.page_note = read_docs(self.paths, self.config, store, self.trees)
        self.timings["read docs"] = time.perf_counter() - started
        self.caches_kept = self._keep_in_background(store, schema)
        return schema

    def _keep_in_background(self, store: Optional["PageCache"], schema: "ir.Schema") -> Callable[[], None]:
        """Store the page reads and the IR for later runs in a forked process while this one
        generates (on one core, the view is built there; ~0.03 s of a cold run's encoding and
        writing moves off its path); returns the wait for it."""
        from . import ir
        from .workers import start_task

        if self.cache.root is None:
            return lambda: None

        def keep() -> None:
            if store is not None:
                store.flush()
                store.close()
            self.cache.save(self.key, None, ir.dump_compact(schema))

        return start_task(keep)

    def remember(self, schema: "ir.Schema", result: "Generated") -> None:
        """Store the run record for later runs (once the page reads and the IR are stored)."""
        self.caches_kept()
        record = RunRecord(files={rel: sha256(text.encode("utf-8")) for rel, text in result.files.items()},
                           schema_diagnostics=tuple(schema.diagnostics),
                           generate_diagnostics=tuple(result.diagnostics),
                           counts=counts_of(schema, len(result.files)).to_dict())
        self.cache.save(self.key, record, None)
