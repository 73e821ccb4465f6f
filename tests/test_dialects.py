"""Tests of the per-dialect type grammars: case files, registry, fuzzing, and real corpora."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dialects import DIALECTS, dialect_for_fence, get_dialect
from generator.dialects.base import ParsedType
from generator.reader import Section, read_page

CASES = Path(__file__).parent / "cases" / "types"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
TYPE_TABLE_FIRST_HEADERS = ("field", "parameter", "name")


def load_cases(path: Path) -> list[tuple[int, str, dict[str, Any]]]:
    """Read `input / --- / expected JSON / ===` blocks; each keeps its first line number."""
    cases: list[tuple[int, str, dict[str, Any]]] = []
    start, block = 1, list[str]()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line == "===":
            text, expected = "\n".join(block).split("\n---\n")
            cases.append((start, text, json.loads(expected)))
            start, block = number + 1, []
        else:
            block.append(line)
    return cases


def all_cases() -> Iterator[Any]:
    """Every case of every dialect's file, as pytest params with `<dialect>:<line>` ids."""
    for path in sorted(CASES.glob("*.txt")):
        for line, text, expected in load_cases(path):
            yield pytest.param(path.stem, text, expected, id=f"{path.stem}:{line}")


def check(result: ParsedType, expected: dict[str, Any]) -> None:
    """Compare a parse result with the keys a case states."""
    if "error" in expected:
        assert result.error, f"expected an error, got {result.type.to_dict()}"
        assert expected["error"] in result.error
        assert result.type.kind == "any"
        return
    assert result.error == ""
    assert result.optional is expected.get("optional", False)
    if "type" in expected:
        assert result.type.to_dict() == expected["type"]
    for key in ("links", "placeholder_links"):
        if key in expected:
            assert list(getattr(result, key)) == expected[key]
    if "date_label_swapped" in expected:
        assert result.date_label_swapped is expected["date_label_swapped"]


@pytest.mark.parametrize("dialect_name, text, expected", list(all_cases()))
def test_type_case(dialect_name: str, text: str, expected: dict[str, Any]) -> None:
    """Each case of tests/cases/types/<dialect>.txt parses as stated."""
    dialect = DIALECTS[dialect_name]
    if expected.get("mode") == "code":
        check(dialect.parse_code_type(text), expected)
    else:
        check(dialect.parse_type(text), expected)


def test_every_dialect_has_cases() -> None:
    """A dialect without a case file is untested."""
    assert {p.stem for p in CASES.glob("*.txt")} == set(DIALECTS)


def test_registry_lookups() -> None:
    """Dialects are found by name and by code-fence language."""
    assert get_dialect("Python") is DIALECTS["python"]
    with pytest.raises(KeyError, match="known: go, java, php, python, typescript"):
        get_dialect("cobol")
    assert dialect_for_fence("ts") is DIALECTS["typescript"]
    assert dialect_for_fence("go") is DIALECTS["go"]
    assert dialect_for_fence("php") is DIALECTS["php"]
    assert dialect_for_fence("java") is DIALECTS["java"]
    assert dialect_for_fence("python title=x") is DIALECTS["python"]
    assert dialect_for_fence("") is None
    for name, dialect in DIALECTS.items():
        assert dialect.name == name and dialect.fence_languages


@pytest.mark.parametrize("name, stem", [
    ("python", "catalogdiff"), ("typescript", "catalogdiff"), ("go", "catalogdiff"),
    ("php", "CatalogDiff"), ("java", "CatalogDiff"),
])
def test_model_file_stem(name: str, stem: str) -> None:
    """Python, TypeScript and Go pages are lower-cased names; PHP and Java keep the case."""
    assert DIALECTS[name].model_file_stem("CatalogDiff") == stem


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    """Pathological nesting comes back as an error instead of exhausting the stack."""
    result = DIALECTS["python"].parse_type("List[" * 500 + "str" + "]" * 500)
    assert result.error and result.type.kind == "any"


_ALPHABET = st.sampled_from(list("[]()<>{}*?|,\\`.-_ \"'&;:#/") + [
    "str", "List", "Optional", "Dict", "map", "string", "array", "shared.", "X", "](", ".md",
    "https://x", "error", "Record", "&lt;", "1",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_parsers_never_raise(text: str) -> None:
    """Any text gives a ParsedType; a failed parse is `any` with an error message."""
    for dialect in DIALECTS.values():
        for result in (dialect.parse_type(text), dialect.parse_code_type(text)):
            assert isinstance(result, ParsedType)
            if result.error:
                assert result.type.kind == "any" and not result.optional


def _tables(section: Section) -> Iterator[Any]:
    for block in section.blocks:
        if block.kind == "table" and block.header is not None:
            yield block
    for sub in section.subsections:
        yield from _tables(sub)


def corpus_type_cells(docs: Path) -> Iterator[tuple[str, int, str]]:
    """(page, line, raw cell) for the Type column of every Field/Parameter/Name table."""
    for page_path in sorted(docs.rglob("*.md")):
        rel = str(page_path.relative_to(docs))
        page = read_page(rel, page_path.read_text(encoding="utf-8"))
        for table in _tables(page.root):
            heads = [c.text.strip().lower() for c in table.header.cells]
            if len(heads) < 2 or heads[0] not in TYPE_TABLE_FIRST_HEADERS or heads[1] != "type":
                continue  # enum Values tables (Name | Value) hold no types
            for row in table.rows:
                if len(row.cells) >= 2:
                    yield rel, row.line, row.cells[1].text


def _corpora() -> list[Any]:
    if not CORPORA.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"corpora not found at {CORPORA} (they live outside the project)"))]
    return [pytest.param(p, id=p.name) for p in sorted(CORPORA.iterdir()) if (p / "docs").is_dir()]


@pytest.mark.parametrize("corpus", _corpora())
def test_corpus_type_cells_parse(corpus: Path) -> None:
    """Every Type cell of a real corpus parses without error in its dialect."""
    dialect = get_dialect(corpus.name.split("-")[1])
    failures = [f"{page}:{line}: {text!r}: {result.error}"
                for page, line, text in corpus_type_cells(corpus / "docs")
                if (result := dialect.parse_type(text)).error]
    assert not failures, "\n".join(failures[:20])
