"""Docstring quoting: the regex form escapes exactly what the character loop it replaced did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.view_text import _quote_safe, docstring


def _quote_safe_by_char(body: str) -> str:
    """The character loop `_quote_safe` was first written as (the reference)."""
    out: list[str] = []
    i, end = 0, len(body)
    while i < end:
        if body[i] == "\\":
            out.append(body[i:i + 2])
            i += 2
            continue
        if body[i] != '"':
            out.append(body[i])
            i += 1
            continue
        j = i
        while j < end and body[j] == '"':
            j += 1
        out += ['\\"' if j - i >= 3 or k in (0, end - 1) else '"' for k in range(i, j)]
        i = j
    return "".join(out)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(['"', "\\", "a", " ", "\n", "'", '""', '"""', "é"]), max_size=24).map("".join))
def test_quote_safe_matches_the_character_loop(body: str) -> None:
    assert _quote_safe(body) == _quote_safe_by_char(body)


def test_docstrings_never_end_early() -> None:
    text = docstring('"Quoted" at both ends and """ inside "', 4)
    assert compile(f"def f():\n    {text}\n", "x", "exec")
    assert text.count('"""') == 2
