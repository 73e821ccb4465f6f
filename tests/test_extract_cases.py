"""Small extraction cases: markdown pages in, an IR fragment out (tests/cases/extract/*.txt).

Case format (markdown-it-py fixture style), cases follow each other:

    description line
    .
    @@ docs/models/shared/foo.md        <- a page of the case; several @@ pages allowed
                                          (without a top-level docs/, each top-level folder
                                          is one DOCS tree and each top-level file a loose page)
    ...markdown...
    .
    {"models": [{"name": "Foo", ...}]}   <- expected fragment (a subset of the IR)
    .

The test id is the file and line of the description. The expected fragment is matched
as a subset: dict keys present must be equal, lists must have equal length and match
element-wise, except `diagnostics`, where each expected entry must match some entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import assert_valid_ir
from generator.config import Config, from_mapping
from generator.pipeline import build_schema

CASES = Path(__file__).parent / "cases" / "extract"


def _cases() -> Iterator[Any]:
    for path in sorted(CASES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        i = 0
        while i < len(lines):
            if not lines[i].strip():
                i += 1
                continue
            start, title = i + 1, lines[i]
            assert lines[i + 1] == ".", f"{path.name}:{start}: expected '.' after the description"
            j = lines.index(".", i + 2)
            k = lines.index(".", j + 1)
            yield pytest.param(title, "\n".join(lines[i + 2:j]), "\n".join(lines[j + 1:k]),
                               id=f"{path.stem}:{start}")
            i = k + 1


def _write_pages(text: str, root: Path) -> list[str]:
    """Write the `@@ path` pages of a case under root; return the DOCS arguments."""
    current: Path | None = None
    chunks: dict[Path, list[str]] = {}
    for line in text.split("\n"):
        if line.startswith("@@ "):
            current = root / line[3:].strip()
            chunks[current] = []
        elif current is not None:
            chunks[current].append(line)
    for path, body in chunks.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(body), encoding="utf-8")
    if (root / "docs").is_dir():
        return [str(root)]
    # No docs/ at the top: each top-level folder is a DOCS tree, each top-level file a loose page.
    return [str(p) for p in sorted(root.iterdir())]


def assert_subset(expected: Any, actual: Any, where: str = "$") -> None:
    """Fragment matching used by the cases (see module docstring)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: missing key {key!r} in {sorted(actual)}"
            if key == "diagnostics":
                for item in value:
                    assert any(_matches(item, got) for got in actual[key]), \
                        f"{where}.diagnostics: no diagnostic matches {item}; got {actual[key]}"
            else:
                assert_subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), \
            f"{where}: expected {len(expected)} items, got {actual!r}"
        for index, (exp, got) in enumerate(zip(expected, actual)):
            assert_subset(exp, got, f"{where}[{index}]")
    else:
        assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


def _matches(expected: Any, actual: Any) -> bool:
    try:
        assert_subset(expected, actual)
        return True
    except AssertionError:
        return False


@pytest.mark.parametrize("title, markdown, expected", list(_cases()))
def test_case(title: str, markdown: str, expected: str, tmp_path: Path) -> None:
    """Each case's pages produce an IR containing the expected fragment."""
    docs = _write_pages(markdown, tmp_path / "api")
    fragment = json.loads(expected)
    config = from_mapping(fragment.pop("config"), "case") if "config" in fragment else Config()
    data = build_schema(docs, config).to_dict()
    assert_valid_ir(data)
    if "no_errors" in fragment:
        fragment.pop("no_errors")
        assert not [d for d in data["diagnostics"] if d["severity"] == "error"], data["diagnostics"]
    assert_subset(fragment, data)
