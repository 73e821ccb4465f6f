"""The page cache and the parallel reader save time and nothing else: the IR and its diagnostics
are those of a plain sequential read, whatever the cache holds (nothing, everything, stale or
corrupt entries, entries of another dialect) and however the pages are spread over workers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest
from click.testing import CliRunner

from conftest import ROOT, corpus
from generator import cli, ir, pages
from generator.config import Config
from generator.discover import discover
from generator.page_cache import FILE_NAME, PageCache, decode, encode
from generator.pages import PageRead, extract_tree, read_pages
from generator.pipeline import build_schema

INPUT_DOCS = ROOT / "input_docs"
CORPORA = ("airbyte-python", "featuretest-python-2023-11", "input_docs")


def docs_path(name: str) -> Path:
    """input_docs from the checkout; the others from the shared corpora (skipped when absent)."""
    return INPUT_DOCS if name == "input_docs" else corpus(name)


class CountingStore:
    """A PageCache that records the keys it was asked to keep."""

    def __init__(self, folder: Path) -> None:
        self.cache = PageCache.in_folder(folder)
        self.kept: list[str] = []

    def get_many(self, keys: Sequence[str]) -> dict[str, PageRead]:
        """As PageCache."""
        return self.cache.get_many(keys)

    def put_many(self, reads: Mapping[str, PageRead]) -> None:
        """As PageCache, counting."""
        self.kept.extend(reads)
        self.cache.put_many(reads)


def ir_of(docs: Sequence[Path], **reading: Any) -> dict[str, Any]:
    """The IR (with its diagnostics) of DOCS as a dict."""
    return build_schema([str(d) for d in docs], Config(), **reading).to_dict()


def page_count(docs: Path) -> int:
    """How many pages discover finds."""
    return sum(len(tree.pages) for tree in discover([str(docs)]))


@pytest.mark.parametrize("name", CORPORA)
def test_cached_ir_equals_uncached(name: str, tmp_path: Path) -> None:
    """An empty cache, then a full one: the IR equals the uncached one both times."""
    docs = docs_path(name)
    plain = ir_of([docs])
    cold = PageCache.in_folder(tmp_path)
    assert ir_of([docs], store=cold) == plain
    assert (cold.found, cold.stored) == (0, page_count(docs))
    warm = PageCache.in_folder(tmp_path)
    assert ir_of([docs], store=warm) == plain
    assert (warm.found, warm.stored) == (page_count(docs), 0)


def test_every_page_read_round_trips_exactly() -> None:
    """decode(encode(read)) equals the read and has the same types, to the leaves; the IR's own
    to_dict would not do (it merges a server's repeated variables)."""
    for name in CORPORA:
        for tree in discover([str(docs_path(name))]):
            jobs, _ = pages.page_jobs(tree)
            for read in read_pages(jobs):
                again = decode(encode(read))
                assert again == read and repr(again) == repr(read)
    server = ir.Server(url="https://x", source=ir.Span("README.md", 3), variables=(("a", "1"), ("a", "2")))
    assert decode(encode(server)) == server
    assert ir.Server.from_dict(server.to_dict()) != server


def test_only_the_changed_page_is_read_again(tmp_path: Path) -> None:
    """One page's bytes changed: that page alone is read and kept again; the IR is a fresh one's."""
    docs = tmp_path / "docs"
    shutil.copytree(INPUT_DOCS, docs)
    first = CountingStore(tmp_path / "cache")
    ir_of([docs], store=first)
    assert len(first.kept) == page_count(docs)
    page = docs / "docs" / "models" / "shared" / "author.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nEdited. ", 1), encoding="utf-8")
    second = CountingStore(tmp_path / "cache")
    assert ir_of([docs], store=second) == ir_of([docs])
    jobs = [job for tree in discover([str(docs)]) for job in pages.page_jobs(tree)[0]]
    assert second.kept == [pages.page_key(job) for job in jobs if job.rel.endswith("author.md")]
    assert second.cache.found == page_count(docs) - 1


def test_entries_of_another_dialect_are_read_again(tmp_path: Path) -> None:
    """The tree's dialect is decided by all its pages: pages kept as Python are read again as
    TypeScript once TypeScript pages outvote them (and the IR equals a fresh read)."""
    models = corpus("airbyte-typescript") / "docs" / "models" / "shared"
    docs = tmp_path / "docs" / "docs" / "models" / "shared"
    docs.mkdir(parents=True)
    for page in sorted(corpus("airbyte-python").joinpath("docs", "models", "shared").glob("*.md"))[:5]:
        shutil.copy(page, docs)
    ir_of([tmp_path / "docs"], store=PageCache.in_folder(tmp_path / "cache"))
    for page in sorted(models.glob("*.md"))[:60]:
        if not (docs / page.name).exists():
            shutil.copy(page, docs)
    store = PageCache.in_folder(tmp_path / "cache")
    assert ir_of([tmp_path / "docs"], store=store) == ir_of([tmp_path / "docs"])
    assert store.found == 5 and store.stored == page_count(tmp_path / "docs")


def test_pages_alike_share_no_nodes(tmp_path: Path) -> None:
    """Two loose `author.md` with the same bytes have one key; the second is read afresh, so the
    pages' IR nodes are distinct objects, as without a cache."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(INPUT_DOCS / "docs" / "models" / "shared" / "author.md", tmp_path / folder)
    tree = discover([str(tmp_path / "a" / "author.md"), str(tmp_path / "b" / "author.md")])[0]
    extract_tree(tree, store=PageCache.in_folder(tmp_path / "cache"))
    store = PageCache.in_folder(tmp_path / "cache")
    (first, second), _ = extract_tree(tree, store=store)
    assert first == second and first.models[0] is not second.models[0] and store.found == 1


def test_corrupt_cache_file_is_ignored_then_replaced(tmp_path: Path) -> None:
    """A cache file that is not a database is replaced; the IR is unaffected."""
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database\0" * 100)
    plain = ir_of([INPUT_DOCS])
    assert ir_of([INPUT_DOCS], store=PageCache.in_folder(tmp_path)) == plain
    again = PageCache.in_folder(tmp_path)
    assert ir_of([INPUT_DOCS], store=again) == plain and again.found == page_count(INPUT_DOCS)


def test_corrupt_entries_and_foreign_tables_are_ignored(tmp_path: Path) -> None:
    """Entries that do not decode (bad zlib, bad JSON, a class from elsewhere) and a table of
    another shape only cost time."""
    plain = ir_of([INPUT_DOCS])
    ir_of([INPUT_DOCS], store=PageCache.in_folder(tmp_path))
    db = sqlite3.connect(str(tmp_path / FILE_NAME))
    keys = [row[0] for row in db.execute("SELECT key FROM pages ORDER BY key")]
    bad = [b"junk", zlib.compress(b"{not json"), zlib.compress(b'{"@": "os:system", "v": []}'),
           zlib.compress(b'{"@": "generator.ir_types:Span", "v": ["x"]}'), zlib.compress(b"[1, 2]")]
    with db:
        for key, blob in zip(keys, bad):
            db.execute("UPDATE pages SET data = ? WHERE key = ?", (blob, key))
    db.close()
    store = PageCache.in_folder(tmp_path)
    assert ir_of([INPUT_DOCS], store=store) == plain
    assert store.found == page_count(INPUT_DOCS) - len(bad)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    sqlite3.connect(str(foreign / FILE_NAME)).execute("CREATE TABLE pages (other INTEGER)").connection.close()
    assert ir_of([INPUT_DOCS], store=PageCache.in_folder(foreign)) == plain


CONCURRENT = """
import sys
from pathlib import Path
from generator import ir
from generator.config import Config
from generator.discover import discover
from generator.page_cache import PageCache
from generator.pages import page_jobs, read_pages
from generator.pipeline import build_schema
store = PageCache.in_folder(Path(sys.argv[1]))
schema = build_schema([sys.argv[2]], Config(), store=store)
reads = read_pages(page_jobs(discover([sys.argv[2]])[0])[0][:10])
for round in range(20):  # many small writes, to meet the other processes' writes
    store.put_many({f"{sys.argv[3]}-{round}-{i}": r for i, r in enumerate(reads)})
print(ir.dump_json(schema))
"""


def test_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    """Three processes filling one cache at once all succeed, and leave a sound database holding
    everything each of them kept."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path), str(INPUT_DOCS), str(n)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(3)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    db = sqlite3.connect(str(tmp_path / FILE_NAME))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # (at least: a generator file edited while the test runs gives the pages new keys)
    assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] >= 3 * 20 * 10 + page_count(INPUT_DOCS)
    db.close()


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spread even a few small pages over workers."""
    monkeypatch.setattr(pages, "PARALLEL_MIN_PAGES", 2)
    monkeypatch.setattr(pages, "CHARS_PER_WORKER", 1)


@pytest.mark.parametrize("name", ["airbyte-python", "input_docs"])
def test_parallel_reader_matches_sequential(name: str, parallel: None) -> None:
    """Three workers: the same facts in the same order, the same diagnostics, the same IR."""
    tree = discover([str(docs_path(name))])[0]
    facts, diags = extract_tree(tree)
    assert extract_tree(tree, workers=3) == (facts, diags)
    assert ir_of([docs_path(name)], workers=3) == ir_of([docs_path(name)])


def test_parallel_loose_pages_keep_their_own_dialects(parallel: None) -> None:
    """Loose pages of two dialects (and W204 where a page shows none) read alike in workers."""
    ts = sorted((corpus("airbyte-typescript") / "docs" / "models" / "shared").glob("*.md"))[:20]
    go = sorted((corpus("airbyte-go") / "docs" / "models" / "shared").glob("*.md"))[:20]
    loose = [p for pair in zip(ts, go) for p in pair]
    assert ir_of(loose, workers=2) == ir_of(loose)


TS_PAGE = ("# Thing{0}\n\n## Fields\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n"
           "| `count` | *number* | :heavy_check_mark: | N/A |\n")


def test_a_worker_that_guesses_the_dialect_wrong_is_corrected(tmp_path: Path, parallel: None) -> None:
    """Worker 2 of 2 sees only TypeScript evidence, the tree as a whole is Python: its pages are
    read again as Python, so the result is the sequential one."""
    py_pages = sorted((INPUT_DOCS / "docs" / "models" / "shared").glob("*.md"))[:8]
    folder = tmp_path / "docs" / "docs" / "models" / "shared"
    folder.mkdir(parents=True)
    for index, py in enumerate(py_pages):
        shutil.copy(py, folder / f"p{index:02d}a.md")  # even positions: worker 1
        (folder / f"p{index:02d}b.md").write_text(TS_PAGE.format(index), encoding="utf-8")  # odd: worker 2
    tree = discover([str(tmp_path / "docs")])[0]
    jobs, _ = pages.page_jobs(tree)
    assert {read.dialect for read in read_pages(jobs[1::2])} == {"typescript"}
    assert {read.dialect for read in read_pages(jobs)} == {"python"}
    assert extract_tree(tree, workers=2) == extract_tree(tree)


def test_cli_uses_the_page_cache_unless_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`schema` and `generate` keep pages in the cache folder; DOCS2SDK_NO_CACHE keeps nothing."""
    monkeypatch.setenv("DOCS2SDK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DOCS2SDK_NO_CACHE", raising=False)
    runner = CliRunner()
    first = runner.invoke(cli.main, ["schema", str(INPUT_DOCS), "-v"], catch_exceptions=False)
    assert first.exit_code == 0 and f"0 pages found, {page_count(INPUT_DOCS)} kept" in first.stderr
    generated = runner.invoke(cli.main, ["generate", str(INPUT_DOCS), "-o", str(tmp_path / "out"), "-v"],
                              catch_exceptions=False)
    assert generated.exit_code == 0 and f"{page_count(INPUT_DOCS)} pages found, 0 kept" in generated.stderr
    monkeypatch.setenv("DOCS2SDK_CACHE_DIR", str(tmp_path / "off"))
    monkeypatch.setenv("DOCS2SDK_NO_CACHE", "1")
    off = runner.invoke(cli.main, ["schema", str(INPUT_DOCS), "-v"], catch_exceptions=False)
    assert off.exit_code == 0 and off.stdout == first.stdout and "page cache" not in off.stderr
    assert not (tmp_path / "off").exists()


def test_a_deferring_store_keeps_reads_only_when_flushed(tmp_path: Path) -> None:
    """A run's page store defers (the reads are stored by a background process, workflow.Run):
    nothing is in the file until `flush`, then every read is."""
    deferred = PageCache.in_folder(tmp_path, defer=True)
    schema = build_schema([str(INPUT_DOCS)], Config(), store=deferred)
    deferred.close()
    assert len(deferred.pending) == page_count(INPUT_DOCS)
    probe = PageCache.in_folder(tmp_path)
    assert build_schema([str(INPUT_DOCS)], Config(), store=probe) == schema and probe.found == 0
    deferred.flush()
    assert not deferred.pending
    again = PageCache.in_folder(tmp_path)
    assert build_schema([str(INPUT_DOCS)], Config(), store=again) == schema
    assert again.found == page_count(INPUT_DOCS)


def test_a_run_keeps_pages_and_ir_in_the_background_and_leaves_no_child(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`generate` stores the page reads and the IR from a forked process, which it waits for:
    when the command returns both are stored and no child is left, after a failing run too."""
    monkeypatch.setenv("DOCS2SDK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DOCS2SDK_NO_CACHE", raising=False)
    task = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    if not os.path.exists(task):
        pytest.skip("needs /proc/<pid>/task/<tid>/children")
    before = Path(task).read_text(encoding="ascii")
    runner = CliRunner()
    done = runner.invoke(cli.main, ["generate", str(INPUT_DOCS), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert done.exit_code == 0
    assert len(list((tmp_path / "cache" / "runs").glob("*.ir.json.z"))) == 1
    assert PageCache.in_folder(tmp_path / "cache").get_many(
        [pages.page_key(job) for tree in discover([str(INPUT_DOCS)]) for job in pages.page_jobs(tree)[0]])
    broken = tmp_path / "broken"
    shutil.copytree(INPUT_DOCS, broken)
    (broken / "docs" / "models" / "shared" / "bad.md").write_bytes(b"\xff\xfe not utf-8 \x00")
    failed = runner.invoke(cli.main, ["generate", str(broken), "-o", str(tmp_path / "out2")], catch_exceptions=False)
    assert failed.exit_code == 3
    assert Path(task).read_text(encoding="ascii") == before
