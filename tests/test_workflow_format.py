"""Statement-level formatting (generator/format_lines.py) gives exactly what black gives.

Every block of the generated code is compared with black's output for the whole block: on
input_docs, on a corpus of each dialect family (when the corpora are present), on blocks
built to hit each rule, and on input_docs with hypothesis-drawn names, descriptions and
enum values substituted into the IR (so the templates meet content they were not written for).
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gen_helpers import AIRBYTE_CONFIG, CORPORA, INPUT_DOCS, schema_for
from generator import format as fmt
from generator import format_lines, ir
from generator.format import MODE, BlockCache, format_blocks, format_files, split_blocks
from generator.format_plan import plan_one
from generator.generate import render_files
from generator.view import build


def black_format(source: str) -> str:
    """black on a whole source, pinned mode."""
    return black.format_str(source, mode=MODE)


def mismatches(files: dict[str, str], skip: frozenset[str] = frozenset()) -> list[str]:
    """Blocks (of .py files, except those in `skip`) where the statement-level path differs
    from black on the block."""
    bad = []
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        for block in split_blocks(text):
            if block in skip:
                continue
            try:
                expected = black_format(block)
            except Exception:  # noqa: BLE001 - a block black rejects goes through the whole-file path
                continue
            if format_lines.format_block(block, black_format) != expected:
                bad.append(f"{path}: {block[:300]!r}")
    return bad


@lru_cache(maxsize=None)
def rendered(docs: str, config: str = "") -> dict[str, str]:
    """The rendered (unformatted) files of a docs tree."""
    return render_files(build(schema_for(Path(docs), Path(config) if config else None)))


def test_input_docs_blocks_equal_black() -> None:
    """Every block of the input_docs SDK."""
    assert not mismatches(rendered(str(INPUT_DOCS)))


@pytest.mark.parametrize("name", ["airbyte-python", "featuretest-python-2023-11", "speakeasy-python-2025-01"])
def test_corpus_blocks_equal_black(name: str) -> None:
    """The bench corpus and the two Python corpora the usage tests run (a one-off check of all
    ten corpora, the hostile trees and 300 IRs of tests/test_fuzz_generate.py found no
    difference either; it takes minutes)."""
    docs = CORPORA / name
    if not docs.is_dir():
        pytest.skip(f"corpus {name} not found at {docs} (the shared corpora are expected beside the checkout)")
    config = str(AIRBYTE_CONFIG) if name.startswith("airbyte") else ""
    assert not mismatches(rendered(str(docs), config))


RULE_BLOCKS = [
    # trusted as they are
    'class A:\n    """Doc."""\n\n    x: int = 1\n    y: str = "a"\n',
    'def f(\n    a,\n    b,\n):\n    return g(\n        a,\n        b,\n    )\n',
    'x = {\n    "a": 1,\n}\n',
    '"""Module doc."""\n\nfrom __future__ import annotations\n\nimport os\n',
    'class A:\n    """Doc that goes on\n    over two lines.\n    """\n\n    x = 1\n',
    'class A:\n    """Doc that goes on\n    over two lines."""\n\n    x = 1\n',
    "def f():\n    # a comment\n    return 1  # why\n",
    # black changes these
    "x = 'single'\n",
    'x = "esc\\"aped"\n',
    "x = 1E5 + 0XFF + 1_0J if False else 1.\n",
    "x = f(a, b,)\n",
    "x = (1,)\n",
    "if x: y = 1\n",
    "x = 1; y = 2\n",
    "class A:\n    x: int = 1\n\n\n    y: int = 2\n",
    "class A:\n\n    x: int = 1\n",
    "class A:\n    x = 1\n    def f(self):\n        pass\n",
    "import os\nx = 1\n",
    "def f():\n    return x ** 2\n",
    "def f():\n    #comment\n    return 1 # why\n",
    "class A():\n    pass\n",
    'class A:\n    """  Padded doc.  """\n',
    'class A:\n    """Doc ending in a quote\\""""\n',
    'class A:\n    """Doc\n\n      over lines badly indented.\n      """\n',
    'class A:\n    """' + "word " * 20 + '\n    and a long last line that does not leave room for the closing quotes here"""\n',
    "x = [\n    1\n]\n",
    "x = {\n}\n",
    "def f():\n    return (\n        1\n    )\n",
    "def " + "f" * 60 + "(aaaa: int, bbbb: str, cccc: float) -> dict[str, int]:\n    pass\n",
    "class A:\n    def f(self):\n        return " + "g" * 70 + "(aaaa, bbbb, cccc)\n",
    'class A:\n    def f(self):\n        """' + "d" * 100 + '"""\n        return 1\n',
    "def f():\n    try:\n        pass\n    except (ValueError, " + "E" * 60 + ") as exc:\n        raise\n",
    "def f():\n    x = 1\n    # trailing comment\n",
    "@decorator\n\ndef f():\n    pass\n",
    "def f():\n    if x:\n        pass\n    elif " + "y" * 80 + ":\n        pass\n",
    "x = 1\n\f\ny = 2\n",
    "def f():\n    ...\n",
    "x = '''triple'''\n",
    "def f():\n    x = 1\n    'not a docstring'\n",
    "x = u'unicode' + B'bytes' + F'{x}'\n",
    "x  =  1\n",
    "x = f( a )\n",
    "x = f(a,b)\n",
    "x = f(a , b)\n",
    "x: int  # fine\n",
    "x = 1 \n",
    "x = 1 + \\\n    2\ny = 3\n",
    "def f():\n    return a and \\\n        b\n",
]


@pytest.mark.parametrize("block", RULE_BLOCKS, ids=range(len(RULE_BLOCKS)))
def test_rule_blocks_equal_black(block: str) -> None:
    """Hand-written blocks that hit each trust rule and each blank-line rule."""
    assert format_lines.format_block(block, black_format) == black_format(block)


def test_canonical_blocks_need_no_black() -> None:
    """What templates emit in black's layout is trusted: black is not called at all."""
    calls: list[str] = []

    def spy(source: str) -> str:
        calls.append(source)
        return black_format(source)

    for block in RULE_BLOCKS[:7]:
        assert format_lines.format_block(block, spy) == block
    assert not calls


def black_statements(files: dict[str, str]) -> dict[str, int]:
    """How many statements of each .py file the formatting stage would hand to black."""
    out: dict[str, int] = {}
    for path, text in files.items():
        if path.endswith(".py"):
            plans = [plan_one(block) for block in split_blocks(text)]
            out[path] = sum(len(p.jobs) if p.plan else 1 for p in plans)
    return out


# Statements of the generated SDKs that black still lays out: a comprehension in another
# comprehension, a parameter or call head longer than a line, a right-hand side black splits
# at an inner bracket (see generator/view_layout.py for the layouts the views emit).
# templates/runtime.py.jinja is written in black's layout (black on the template keeps it): a
# few statements of slack. Airbyte needs black for nothing: a cold run never imports it.
BLACK_LEFT = {"input_docs": 0, "airbyte-python": 0, "featuretest-python-2023-11": 18, "speakeasy-python-2025-01": 0}
RUNTIME_LEFT = 5


@pytest.mark.parametrize("name", sorted(BLACK_LEFT))
def test_generated_code_needs_almost_no_black(name: str) -> None:
    """Views lay out what they emit as black does and templates are written in black's layout,
    so cold formatting hands black almost nothing."""
    docs = INPUT_DOCS if name == "input_docs" else CORPORA / name
    if not docs.is_dir():
        pytest.skip(f"corpus {name} not found at {docs} (the shared corpora are expected beside the checkout)")
    config = str(AIRBYTE_CONFIG) if name.startswith("airbyte") else ""
    left = {path: n for path, n in black_statements(rendered(str(docs), config)).items() if n}
    runtime = sum(n for path, n in left.items() if path.endswith("/_runtime.py"))
    assert runtime <= RUNTIME_LEFT, f"{runtime} statements of templates/runtime.py.jinja are not in black's layout"
    assert sum(left.values()) - runtime <= BLACK_LEFT[name], left


def test_block_cache_and_compile_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatted blocks are cached (a second run asks black nothing); invalid blocks are never cached."""
    good, bad = "x = f(a, b,)\n", "1 = 1\n"
    first = format_blocks([good, bad], BlockCache(tmp_path / "blocks.sqlite"))
    assert first[good] == black_format(good) and first[bad] is None
    seen: list[str] = []
    real = fmt._run_jobs

    def spy(sources: list[str], progress: object) -> dict[str, Optional[str]]:
        seen.extend(sources)
        return real(sources, None)

    monkeypatch.setattr(fmt, "_run_jobs", spy)
    assert format_blocks([good, bad], BlockCache(tmp_path / "blocks.sqlite")) == first
    assert not any("f(a, b,)" in s for s in seen), "a cached block went through black again"
    stored = BlockCache(tmp_path / "blocks.sqlite").get_many([fmt._key(good), fmt._key(bad)])
    assert list(stored) == [fmt._key(good)], "an invalid block must never be cached"


def test_format_files_without_cache_equals_black_per_file() -> None:
    """format_files (no cache) on input_docs: every file equals black on the whole file."""
    files = rendered(str(INPUT_DOCS))
    formatted = format_files(files, use_cache=False)
    for path, text in formatted.items():
        if path.endswith(".py"):
            assert black_format(text) == text, path


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=140)
NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,70}", fullmatch=True)
VALUES = st.one_of(TEXT, st.integers(min_value=-10**30, max_value=10**30),
                   st.floats(allow_nan=False, allow_infinity=False), st.booleans())


@lru_cache(maxsize=1)
def base_schema() -> ir.Schema:
    """The IR of input_docs, the base the property test mutates."""
    return schema_for(INPUT_DOCS)


@lru_cache(maxsize=1)
def base_blocks() -> frozenset[str]:
    """The blocks of the unchanged input_docs SDK (only the blocks a drawn value changed are compared)."""
    files = render_files(build(base_schema()))
    return frozenset(b for p, t in files.items() if p.endswith(".py") for b in split_blocks(t))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_doc=TEXT, field_doc=TEXT, field_name=NAMES, model_name=NAMES, enum_value=VALUES, enum_name=NAMES)
def test_drawn_content_blocks_equal_black(model_doc: str, field_doc: str, field_name: str, model_name: str,
                                          enum_value: object, enum_name: str) -> None:
    """Descriptions, names and enum values from hypothesis, through the real view and templates."""
    schema = base_schema()
    model = schema.models[0]
    fields = (replace(model.fields[0], name=field_name.lower(), description=field_doc), *model.fields[1:])
    models = (replace(model, name=model_name, description=model_doc, fields=fields), *schema.models[1:])
    enums = schema.enums
    if enums:
        members = (replace(enums[0].members[0], name=enum_name.upper(), value=enum_value), *enums[0].members[1:])
        enums = (replace(enums[0], description=model_doc, members=members), *enums[1:])
    try:
        files = render_files(build(replace(schema, models=models, enums=enums)))
    except Exception:  # noqa: BLE001 - the view refusing a drawn name is not this test's subject
        return
    assert not mismatches(files, skip=base_blocks())


def test_planning_in_workers_equals_planning_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers plan interleaved shares of the blocks; the merged result is the sequential one."""
    import generator.format_plan as plan_module

    blocks = sorted({b for path, text in rendered(str(INPUT_DOCS)).items() if path.endswith(".py")
                     for b in split_blocks(text)})
    blocks += ["x = [1,2]\n", "def f( a ):\n    return a\n", "y = (\n"]  # black must see these; one is invalid
    monkeypatch.setattr(plan_module, "_PARALLEL_MIN", 10**9)
    kept_here, pending_here = plan_module.plan_blocks(blocks)
    monkeypatch.setattr(plan_module, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(plan_module, "cores", lambda: 3)
    kept, pending = plan_module.plan_blocks(blocks)
    assert kept == kept_here and len(kept) > 100
    assert [(p.block, p.jobs) for p in pending] == [(p.block, p.jobs) for p in pending_here]
    assert {p.block for p in pending} >= {"x = [1,2]\n", "def f( a ):\n    return a\n"}


@pytest.mark.parametrize("parts", [
    ["import a\n", "# c\nclass A:\n    pass\n"], ["import a\n", "# c\nX = 1\n"], ["import a\n", "X: int = 1\n"],
    ["from x import (\n    a,\n)\n", "X = 1\n"], ["import a\n", "@d\ndef f():\n    pass\n"],
    ["import a\n", "import b\n"], ["X = 1\n", "Y = 2\n"], ["import a\n", "if x:\n    pass\n"],
    ["import a\n", "async def f():\n    pass\n"], ['"""Doc."""\n\nimport a\n', "A: TypeAlias = int\n"],
])
def test_blocks_are_joined_as_black_separates_them(parts: list[str]) -> None:
    """Two blank lines between top-level blocks, one after imports before plain statements (found by the
    generator fuzz: a module whose first definition after its imports is a type alias)."""
    joined = fmt.join_blocks(parts)
    assert black.format_str(joined, mode=MODE) == joined


def test_warm_black_worker_formats_as_black_and_is_gone_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements black must see go to the warm worker when there is one, with black's own result;
    it is stopped when the run is done; without it (one core) the same text comes out."""
    from generator import format_black

    sources = ["x = f(a, b,)\n", "def (:\n", "def g(  ):\n  return  1\n"]
    with format_black.warm_black():
        worker = format_black.current()
        if worker is None:
            pytest.skip("one core or no fork here: no warm worker is started")
        answers = worker.run(sources)
        pid = worker.pid
        assert fmt._run_jobs(sources, None) == dict(zip(sources, answers or []))
    assert answers == [black_format(sources[0]), None, black_format(sources[2])]
    assert format_black.current() is None
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(pid, 0)
    monkeypatch.setattr(format_black, "cores", lambda: 1)
    with format_black.warm_black():
        assert format_black.current() is None
        assert fmt._run_jobs(sources, None) == dict(zip(sources, answers))


def test_generation_inside_a_daemonic_process_starts_no_worker() -> None:
    """Run by a multiprocessing pool (daemonic workers may not have children), generate works
    in one process (found by the fuzz harness, whose --generate cases run in daemonic workers)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        assert pool.apply(_generate_input_docs_here) == _generate_input_docs_here()


def _generate_input_docs_here() -> int:
    from generator.generate import generate

    return len(generate(schema_for(INPUT_DOCS)).files)
