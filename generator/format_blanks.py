"""black's blank lines between statements, modelled for lines given as they are.

A copy of black's `EmptyLineTracker._maybe_empty_lines` (.py mode, no preview features) over
the statements of one block: a block whose blank lines differ from this model's goes to black
whole. The model covers what generated code holds; a case it does not (blank lines around a
comment before a `def`) answers None, which also sends the block to black.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .format_lines import Statement

_OPENING = ("with", "try", "for", "while", "if", "match")  # black: not a clause depending on the block above


def _blanks_before_def(stmt: "Statement", prev: "Statement", user_had: bool) -> Optional[int]:
    """black's `_maybe_empty_lines_for_class_or_def` (.py mode)."""
    if prev.is_decorator:
        return 0
    if prev.depth < stmt.depth and prev.is_def:
        return 1 if user_had else 0
    if prev.kind == "comment":
        return None  # comment_to_add_newlines moves blank lines around comments: not modelled
    return 1 if stmt.depth else 2


def _wanted(stmt: "Statement", prev: "Statement", before: int, user_had: bool,
            previous_def: Optional[int]) -> tuple[Optional[int], int]:
    """(blank lines black wants before a statement, blank lines it forces after it)."""
    if stmt.docstring and prev.header == "class":
        return 0, 1
    if stmt.docstring and prev.header == "def":
        return 0, 0
    if previous_def is not None:  # the first statement after a def or class body
        dependent = bool(previous_def) and bool(stmt.header) and stmt.word not in _OPENING
        before = 1 if stmt.depth or dependent else 2
    if stmt.is_decorator or stmt.is_def:
        return _blanks_before_def(stmt, prev, user_had), 0
    if prev.is_import and not stmt.is_import:
        if prev.depth == 0 and stmt.depth == 0:
            return 1, 0
        if prev.depth == stmt.depth:
            return before or 1, 0
    return before, 0


def expected_blanks(stmts: list["Statement"]) -> Optional[list[int]]:
    """black's blank lines before each non-blank statement (EmptyLineTracker in .py mode, for
    lines given as they are), or None for what this model leaves to black."""
    out: list[int] = []
    prev: Optional["Statement"] = None
    prev_after = blanks = 0
    defs: list[int] = []  # depths of the def and class statements whose bodies are open
    module_doc: Optional["Statement"] = None  # a depth-0 docstring with only comments before it
    seen_code = False
    for stmt in stmts:
        if stmt.kind == "blank":
            blanks += 1
            continue
        before, blanks = min(blanks, 2 if stmt.depth == 0 else 1), 0
        previous_def: Optional[int] = None
        while defs and defs[-1] >= stmt.depth:
            previous_def = defs.pop()
        if stmt.is_def:
            defs.append(stmt.depth)
        want, after = (0, 0) if prev is None else _wanted(stmt, prev, before, bool(before), previous_def)
        if want is None:
            return None
        want = max(0, want - prev_after)
        if module_doc is not None and prev is module_doc and not stmt.is_def:
            want = 1  # black: always one empty line after a module docstring
        out.append(want + prev_after)
        if not seen_code and stmt.kind == "code":
            seen_code = True
            module_doc = stmt if stmt.docstring and stmt.depth == 0 else None
        prev, prev_after = stmt, after
    return out
