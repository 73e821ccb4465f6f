"""Read a docs tree's pages into facts: each page kept in a page store by content, and read on
several cores when there are many.

A page's facts depend on its text, display path, namespace and README flag, on the generator
(its code and the versions that shape it) and on the dialect, which the evidence of the whole
tree decides (`detect`). So reading a page yields its votes with its facts (`PageRead`); a store
keeps both under a key of everything but the dialect, and an entry counts only when its facts
were extracted with the dialect this run decides. Workers each read an interleaved slice of the
pages and decide the dialect from the votes they see (and those of stored pages); a page read
with a dialect the whole tree does not confirm is read again. So neither the store nor the
workers can change a result: they only save time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Protocol, Sequence

from .cache import generator_fingerprint
from .detect import dialect_of, page_votes
from .diagnostics import Diagnostic, warning
from .dialects import DIALECTS
from .discover import DocsTree, read_text
from .extract import ExtractContext, PageFacts, extract_page
from .reader import read_page
from .resolve import check_links

PARALLEL_MIN_PAGES = 48  # fewer pages are read here: starting workers costs ~15 ms, a page ~1 ms
# Of markdown, for each further worker: with reader_fast a page reads in well under a millisecond
# and sending its facts back from a worker costs a good part of that. With the cyclic GC off
# (generator/__main__.py), whole cold runs measured, 5-6 alternating runs each, sequential vs
# on two: airbyte-python (1.1 MB) 0.548 vs 0.518 s, featuretest (1.7 MB) 0.850 vs 0.784 s,
# speakeasy-python-2025-01 (0.49 MB) 0.446 vs 0.516 s (so a tree under 0.8 MB is read here).
CHARS_PER_WORKER = 400_000
Votes = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PageJob:
    """A page to read: what its facts depend on besides the dialect."""

    rel: str
    text: str
    namespace: str
    is_readme: bool


@dataclass(frozen=True, slots=True)
class PageRead:
    """What reading a page gave: its dialect votes, the dialect its facts were extracted with, the facts."""

    votes: Votes
    dialect: str
    facts: PageFacts


class PageStore(Protocol):
    """Page reads kept between runs, by `page_key`. A store may forget anything and never raises."""

    def get_many(self, keys: Sequence[str]) -> dict[str, PageRead]:
        """The reads it holds among `keys`."""
        ...

    def put_many(self, reads: Mapping[str, PageRead]) -> None:
        """Keep these reads."""
        ...


def page_key(job: PageJob) -> str:
    """The store key of a page: the generator, the page's display path, namespace, flag and text."""
    head = f"{generator_fingerprint()}\0{job.rel!r}\0{job.namespace!r}\0{job.is_readme}\0"
    digest = hashlib.sha256(head.encode("utf-8", "surrogatepass"))
    digest.update(job.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _decided(votes: Iterable[tuple[str, int]]) -> str:
    return dialect_of(votes, DIALECTS)


def read_pages(jobs: Sequence[PageJob], *, loose: bool = False, hint: Votes = (), dialect: str = "") -> list[PageRead]:
    """Parse and extract pages. The dialect is `dialect` when given; else each page's own for loose
    pages; else the one that these pages' votes and `hint` (other pages of the tree) point to;
    Python when nothing points anywhere."""
    pages = [read_page(job.rel, job.text) for job in jobs]
    votes = [page_votes(page) for page in pages]
    shared = dialect or _decided([*hint, *(vote for own in votes for vote in own)]) or "python"
    reads = []
    for job, page, own in zip(jobs, pages, votes):
        chosen = (_decided(own) or "python") if loose and not dialect else shared
        facts = extract_page(page, ExtractContext(job.rel, chosen, job.namespace, job.is_readme))
        reads.append(PageRead(own, chosen, facts))
    return reads


def _read_slice(args: tuple[Sequence[PageJob], bool, Votes, str]) -> list[PageRead]:
    """`read_pages` in a worker."""
    jobs, loose, hint, dialect = args
    return read_pages(jobs, loose=loose, hint=hint, dialect=dialect)


def _worker_count(jobs: Sequence[PageJob], workers: int) -> int:
    if workers <= 1 or len(jobs) < PARALLEL_MIN_PAGES:
        return 1
    return max(1, min(workers, sum(len(job.text) for job in jobs) // CHARS_PER_WORKER))


def _read_fresh(jobs: Sequence[PageJob], loose: bool, hint: Votes, dialect: str, workers: int) -> list[PageRead]:
    """`read_pages`, spread over worker processes when there is much to read; reads in job order."""
    count = _worker_count(jobs, workers)
    if count <= 1:
        return read_pages(jobs, loose=loose, hint=hint, dialect=dialect)
    from .workers import fork_map

    # Interleaved slices: each worker sees a sample of the whole tree, so its dialect is the tree's.
    parts = fork_map(_read_slice, [(jobs[k::count], loose, hint, dialect) for k in range(count)])
    order = [i for k in range(count) for i in range(k, len(jobs), count)]
    by_index = dict(zip(order, (read for part in parts for read in part)))
    return [by_index[i] for i in range(len(jobs))]


def _read_all(jobs: list[PageJob], hits: list[Optional[PageRead]], loose: bool, workers: int) -> list[PageRead]:
    """A read per job: the stored one (`hits`), else a fresh one; again where the dialect was not the tree's."""
    todo = [i for i, hit in enumerate(hits) if hit is None]
    hint = tuple(vote for hit in hits if hit is not None for vote in hit.votes)
    fresh = dict(zip(todo, _read_fresh([jobs[i] for i in todo], loose, hint, "", workers)))
    reads = [hit if hit is not None else fresh[i] for i, hit in enumerate(hits)]
    tree_dialect = "" if loose else _decided(vote for read in reads for vote in read.votes) or "python"
    wrong = [i for i, read in enumerate(reads) if read.dialect != (tree_dialect or _decided(read.votes) or "python")]
    for i, read in zip(wrong, _read_fresh([jobs[i] for i in wrong], loose, (), tree_dialect, workers)):
        reads[i] = read
    return reads


def _undetected(jobs: list[PageJob], reads: list[PageRead], loose: bool) -> list[Diagnostic]:
    """W204 at every page whose dialect nothing pointed to (for a tree, nothing in the whole tree)."""
    tree_found = not loose and bool(_decided(vote for read in reads for vote in read.votes))
    return [warning("W204", "the dialect could not be detected; Python was assumed", job.rel, 1,
                    "pass the page together with its docs tree")
            for job, read in zip(jobs, reads) if not (tree_found or loose and _decided(read.votes))]


def page_jobs(tree: DocsTree) -> tuple[list[PageJob], list[Diagnostic]]:
    """The readable pages of a tree; E002 for the others."""
    jobs, diags = [], list(tree.diagnostics)
    for source in tree.pages:
        text, problem = read_text(source)
        if problem:
            diags.append(problem)
            continue
        jobs.append(PageJob(source.rel, text, source.namespace, source.is_readme))
    return jobs, diags


def _tree_prefix(tree: DocsTree) -> str:
    """The display prefix of a tree's pages (set when several trees are merged)."""
    if not tree.pages:
        return ""
    first = tree.pages[0]
    rel_to_root = first.path.relative_to(tree.root).as_posix()
    return first.rel[: len(first.rel) - len(rel_to_root)]


def _hits(keys: list[str], store: PageStore) -> list[Optional[PageRead]]:
    """The stored read of each key; a key met again (two loose `x.md` alike) is read afresh, so
    that no two pages share IR nodes, as when nothing is stored."""
    stored = store.get_many(keys) if keys else {}
    seen: set[str] = set()
    hits: list[Optional[PageRead]] = []
    for key in keys:
        hits.append(None if key in seen else stored.get(key))
        seen.add(key)
    return hits


def extract_tree(tree: DocsTree, *, store: Optional[PageStore] = None,
                 workers: int = 1) -> tuple[list[PageFacts], list[Diagnostic]]:
    """Facts of every readable page in page order, and the tree's diagnostics (E002, W204, links).

    The dialect is decided per tree, or per page for loose pages. `store` keeps page reads
    between runs; `workers` > 1 lets a large batch be read in that many processes.
    """
    jobs, diags = page_jobs(tree)
    keys = [page_key(job) for job in jobs] if store is not None else []
    hits: list[Optional[PageRead]] = _hits(keys, store) if store is not None else [None] * len(jobs)
    reads = _read_all(jobs, hits, tree.loose, workers)
    if store is not None:
        store.put_many({key: read for key, read, hit in zip(keys, reads, hits) if read is not hit})
    diags.extend(_undetected(jobs, reads, tree.loose))
    facts = [read.facts for read in reads]
    if not tree.loose:
        diags.extend(check_links([link for f in facts for link in f.links], {f.file for f in facts},
                                 _tree_prefix(tree)))
    return facts, diags
