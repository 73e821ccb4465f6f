"""The fast block reader gives exactly markdown-it's blocks, or gives up: compared on every page
of every corpus, on pages drawn from a vocabulary of the markdown it reads and the markdown
around it, and on each construct it must leave to markdown-it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPORA, ROOT, SEEDS
from generator.reader import markdown_blocks, parse_blocks
from generator.reader_fast import TRIM, fast_blocks


def test_trim_set_is_markdown_its() -> None:
    from markdown_it.common.utils import MD_TRIM_CHARS

    assert set(TRIM) == set(MD_TRIM_CHARS)


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.md"))


def _roots() -> list[Path]:
    roots = [ROOT / "input_docs", SEEDS, *sorted(CORPORA.glob("*"))] if CORPORA.is_dir() else []
    return [root for root in roots if root.is_dir()]


@pytest.mark.parametrize("root", _roots() or [pytest.param(None, marks=pytest.mark.skip(
    reason=f"the shared corpora are expected at {CORPORA}"))], ids=lambda r: r.name if r else "absent")
def test_every_corpus_page_reads_as_markdown_it_reads_it(root: Path) -> None:
    fast = 0
    pages = _pages(root)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        blocks = fast_blocks(text)
        if blocks is not None:
            fast += 1
            assert blocks == markdown_blocks(text), page
    # The fast reader must actually carry the load: SDK docs pages are plain markdown.
    assert fast >= 0.9 * len(pages), f"only {fast} of {len(pages)} pages read fast in {root}"


WORDS = ["Field", "`name`", "*str*", "a", "b\\|c", "`x|y`", "**bold**", "[Link](x.md)", "N/A", "é", "\\", ":", "1.",
         "#", "<b>", "-->", "|", "x]: y", "~~~", "```"]
LINES = [
    "", " ", "# Title", "## Fields", "### Parameters", "#### Deep ##", "#NoSpace", "####### seven", "# ",
    "| Field | Type | Required |", "| ----- | ---- | -------- |", "|---|:--:|", "| :--- | ---: |", "| a | b |",
    "| `x` | *str* |", "| a \\| b | c |", "| `a|b` | c |", "a | b", "--- | ---", "|", "||", "| a |", "- | -",
    "Plain text.", "More text with **bold** and `code`.", "**[Response](x.md)**", "*emphasis*", "* item", "- item",
    "+ item", "1. first", "2) second", "* [op](#op) - does things", "10. ten", "*", "* * *", "---", "===", "___",
    "```python", "```", "````", "~~~", "```go", "    indented", "\tTabbed", "  two spaces", "> quote", ">> nested",
    "> :warning: **DEPRECATED**", "<!-- comment -->", "<!-- start", "end -->", "<div>", "<https://x.io>",
    "[ref]: https://x.io", "[a](b) text", "text\\", "1986 was a year", "a\u00a0b", "\u00a0", "a\u2003", "x" * 3,
    "\x1e|", "\x1c| a |", "\x85", "a\x1f",  # whitespace to Python's str.strip, not to CommonMark
]


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(LINES),
                                    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
                                    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(
                                        lambda ws: "| " + " | ".join(ws) + " |")),
                          max_size=14))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=3000, deadline=None)
@given(pages())
def test_drawn_pages_read_as_markdown_it_reads_them(text: str) -> None:
    blocks = fast_blocks(text)
    if blocks is not None:
        assert blocks == markdown_blocks(text)


SAMPLE = """# Book

A book of the library.

## Fields

| Field | Type | Required | Description |
| ----- | ---- | -------- | ----------- |
| `id` | *str* | :heavy_check_mark: | The a \\| b id |
| `tags` | List[*str*] | :heavy_minus_sign: | `a|b` |

```python
res = s.books.get(id="1")
```

* [get](#get) - Get a book
* [list](#list) - List books,
a lazy line

> :warning: **DEPRECATED**: old.

<!-- a comment -->
**[Response](x.md)**
### Errors
"""


def test_a_typical_page_is_read_fast_and_alike() -> None:
    blocks = fast_blocks(SAMPLE)
    assert blocks is not None
    assert blocks == markdown_blocks(SAMPLE) == parse_blocks(SAMPLE)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "heading", "table", "code", "list", "quote",
                                        "paragraph", "heading"]
    assert [c.text for c in blocks[3].rows[0].cells] == ["`id`", "*str*", ":heavy_check_mark:", "The a | b id"]


@pytest.mark.parametrize("text", [
    "Title\n=====\n", "Title\n---\n", "text\n    more\n", "    code\n", "a\tb\n", "> a\nlazy\n", "```\nunclosed\n",
    "[ref]: https://x.io\n", "<div>\nhtml\n</div>\n", "* a\n  continued\n", "***\n", "a\r\nb\n",
    "| a | b |\n| - |\n", "text\n| a | b |\n| - | - |\n", "# Closed #\n", "1. a\n2) b\n",
])
def test_markdown_it_reads_what_the_fast_reader_does_not_know(text: str) -> None:
    assert fast_blocks(text) is None
    assert parse_blocks(text) == markdown_blocks(text)


@pytest.mark.parametrize("text", [
    "\x1e|\n",  # fuzz seed 7: pipe lines after a character only Python strips form a pseudo-table
    "> \x1e|\n",
])
def test_cases_the_fuzzer_found_read_alike(text: str) -> None:
    assert fast_blocks(text) is not None
    assert fast_blocks(text) == markdown_blocks(text)
