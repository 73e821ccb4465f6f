"""Statement-level formatting: statements already laid out as black lays them out are kept,
black formats the others one at a time, and the results are spliced back into the block.

black cuts a source into logical lines, transforms each one on its own (`transform_line` sees
one statement and its depth) and decides the blank lines between them in one place
(`EmptyLineTracker`). So a block whose blank lines are the ones black would write, and whose
statements are each either left alone by black or formatted by black alone at the same depth
and position, is exactly what black makes of the whole block. A statement is trusted without
black only when black provably leaves it alone: one short physical line in canonical form
(strings black would not requote or re-escape, plain numbers, no magic trailing comma, no
semicolon), a docstring in the shape black's docstring handling keeps, or a statement over
several lines split the way black splits it (format_groups: brackets exploded with a magic
trailing comma or hugged, `def` headers, right-hand sides and conditions in parentheses).
Anything else goes to black; a block with a structure this model does not cover goes to
black whole. Tests compare the result with black for every block of every corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from .format_blanks import expected_blanks
from .format_groups import def_ok, header_ok, statement_ok
from .format_rules import SCAN_TOKENS, comment_ok, docstring_ok, line_ok

_HEADER = re.compile(r"(?:async\s+)?(if|elif|else|for|while|with|try|except|finally|def|class|match|case)\b")
_STRING_PREFIX = re.compile(r"[A-Za-z]*")
_WRAPPED = ("", "if", "for", "while", "with", "def", "class")  # statements a wrapper can hold
_WRAP_HEAD = "async def _docs2sdk_w{}():"


@dataclass
class Statement:
    """One logical line of a block: physical lines [first, last] and what it is."""

    first: int
    last: int
    text: str
    skel: str  # the text with string literals blanked to NULs and comments cut
    kind: str = "code"  # blank | comment | code
    indent: int = 0
    header: str = ""  # the compound keyword when the statement opens a block
    word: str = ""  # its first word (black looks at it for a few blank-line rules)
    trusted: bool = False
    docstring: bool = False
    first_in_block: bool = False

    @property
    def depth(self) -> int:
        """Indentation level (4 spaces each)."""
        return self.indent // 4

    @property
    def is_def(self) -> bool:
        """`def`, `async def` or `class` (black's is_def or is_class)."""
        return self.header in ("def", "class")

    @property
    def is_decorator(self) -> bool:
        """A decorator line."""
        return self.kind == "code" and self.word.startswith("@")

    @property
    def is_import(self) -> bool:
        """An `import` or `from ... import` statement."""
        return self.kind == "code" and self.word in ("import", "from")


def _depth_after(depth: int, code: str) -> int:
    """The bracket depth after `code` (no strings or comments in it); never below zero."""
    closes = code.count(")") + code.count("]") + code.count("}")
    if closes <= depth:  # it cannot reach zero on the way: count instead of walking
        return depth + code.count("(") + code.count("[") + code.count("{") - closes
    for ch in code:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return depth


_SPECIAL = re.compile(r"[\"'#\\]")  # what may start a string, a comment or a line continuation


def _scan(block: str) -> list[Statement]:
    """Split a block into logical lines (a newline ends one outside brackets and strings), with
    the skeleton of each: string literals blanked to NULs, comments cut. A line without quotes,
    comments or backslashes is taken whole; the others are tokenized up to the next newline
    outside strings (a line start is never inside a string, so both ways agree)."""
    out: list[Statement] = []
    depth = start = line = pos = index = 0
    pieces: list[str] = []
    size = len(block)

    def end_statement(newline: int, after: int) -> None:
        nonlocal line, start, pos, pieces
        pieces.append(block[pos:newline])
        last = line + block.count("\n", start, newline)
        out.append(Statement(line, last, block[start:newline], "".join(pieces)))
        line, start, pos, pieces = last + 1, after, after, []

    while index < size:
        newline = block.find("\n", index)
        segment = block[index:newline if newline >= 0 else size]
        if not _SPECIAL.search(segment):
            depth = _depth_after(depth, segment)
            if newline < 0:
                break
            if depth == 0:
                end_statement(newline, newline + 1)
            index = newline + 1
            continue
        seen = index
        for match in SCAN_TOKENS.finditer(block, index):
            depth = _depth_after(depth, block[seen:match.start()])
            seen = match.end()
            kind = match.lastgroup
            if kind == "s1" or kind == "s3":
                pieces += (block[pos:match.start()], "\x00" * (match.end() - match.start()))
                pos = match.end()
            elif kind == "com":
                pieces.append(block[pos:match.start()])
                pos = match.end()
            elif kind == "nl":  # a newline outside strings (not after a backslash)
                if depth == 0:
                    end_statement(match.start(), match.end())
                break
        else:
            break  # no newline left outside strings
        index = seen
    if start < size:
        pieces.append(block[pos:])
        out.append(Statement(line, line + block.count("\n", start), block[start:], "".join(pieces)))
    return out


_CLASSIFIED: dict[str, tuple[str, int, str, str, bool]] = {}
_CLASSIFIED_LIMIT = 200_000  # statements remembered (generated code repeats many of them)


def _classify(stmt: Statement) -> None:
    """Kind, indentation, header keyword and (for code) whether black leaves it alone; all of
    them follow from the statement's text, so a text met before is not checked again."""
    known = _CLASSIFIED.get(stmt.text)
    if known is None:
        _classify_text(stmt)
        if len(_CLASSIFIED) >= _CLASSIFIED_LIMIT:
            _CLASSIFIED.clear()
        _CLASSIFIED[stmt.text] = (stmt.kind, stmt.indent, stmt.word, stmt.header, stmt.trusted)
    else:
        stmt.kind, stmt.indent, stmt.word, stmt.header, stmt.trusted = known


def _classify_text(stmt: Statement) -> None:
    stripped = stmt.text.strip()
    if not stripped:
        stmt.kind = "blank"
        return
    stmt.indent = len(stmt.text) - len(stmt.text.lstrip(" "))
    stmt.word = stripped.split(None, 1)[0].split("(", 1)[0]
    if stripped.startswith("#") and stmt.first == stmt.last:
        stmt.kind = "comment"
        return
    skel = stmt.skel
    match = _HEADER.match(skel.lstrip(" "))
    if match and skel.rstrip().endswith(":"):
        stmt.header = match.group(1)
    elif match and match.group(1) not in ("match", "case"):
        stmt.header = "?"  # a one-line compound statement (`if x: y`): black splits it
    if stmt.first == stmt.last:
        stmt.trusted = line_ok(stmt.text, skel, stmt.header)
    elif stmt.header == "def":
        stmt.trusted = def_ok(stmt.text, skel, stmt.indent)
    elif stmt.header in ("if", "elif", "while"):
        stmt.trusted = header_ok(stmt.text, skel, stmt.indent)
    else:
        stmt.trusted = not stmt.header and not stmt.is_decorator and statement_ok(stmt.text, skel, stmt.indent)


@dataclass
class Plan:
    """A block cut into statements; black formats the untrusted code statements."""

    lines: list[str]
    statements: list[Statement]


def plan_block(block: str) -> Optional[Plan]:
    """The statements of a block, or None when black must format the whole block."""
    if "\f" in block or "\r" in block:
        return None
    stmts = _scan(block)
    last_code: Optional[Statement] = None
    for stmt in stmts:
        _classify(stmt)
        if stmt.kind == "blank" and stmt.text:
            return None  # a whitespace-only line outside strings
        if stmt.kind != "code":
            continue
        stmt.first_in_block = last_code is None or (bool(last_code.header) and last_code.indent < stmt.indent)
        bare = stmt.skel.strip()
        if bare and not bare.strip("\x00") and stmt.first_in_block:
            prefix = _STRING_PREFIX.match(stmt.text.lstrip()).group().lower()  # type: ignore[union-attr]
            stmt.docstring = not set(prefix) & set("bft")  # black: bytes and f-strings are no docstrings
            stmt.trusted = stmt.docstring and docstring_ok(stmt.text, stmt.indent)
        last_code = stmt
    return Plan(block.split("\n"), stmts) if _structure_ok(stmts) else None


def _structure_ok(stmts: list[Statement]) -> bool:
    """Indentation, comments and blank lines are the ones black writes; untrusted statements
    can be formatted alone."""
    codes = [s for s in stmts if s.kind != "blank"]
    if not codes or stmts[0].kind == "blank":
        return False
    for index, stmt in enumerate(codes):
        if stmt.indent % 4:
            return False
        if stmt.kind == "comment":
            following = codes[index + 1] if index + 1 < len(codes) else None
            if not comment_ok(stmt.text) or stmt.text != stmt.text.rstrip():
                return False
            if following is None and stmt.indent:
                return False  # a comment closing an indented body: black may re-indent it
            if following is not None and (following.kind == "blank" or following.indent != stmt.indent):
                return False  # a comment (or a run of them) stands right above code at its depth
        elif stmt.skel.rstrip().endswith(": ..."):
            return False  # dummy implementations have blank-line rules of their own
        elif not stmt.trusted and (stmt.is_decorator or stmt.header not in _WRAPPED or
                                   (stmt.docstring and stmt.depth == 0)):
            return False
    expected = expected_blanks(stmts)
    actual: list[int] = []
    blanks = 0
    for stmt in stmts:
        if stmt.kind == "blank":
            blanks += 1
        else:
            actual.append(blanks)
            blanks = 0
    return expected is not None and actual == expected


def wrap_statement(stmt: Statement) -> str:
    """A small module holding the statement at its depth and position, for black."""
    out = [" " * (4 * k) + _WRAP_HEAD.format(k) for k in range(stmt.depth)]
    if not stmt.first_in_block:
        out.append(" " * stmt.indent + "pass")
    out.append(stmt.text)
    if stmt.header:
        out.append(" " * (stmt.indent + 4) + "pass")
    return "\n".join(out) + "\n"


def unwrap_statement(stmt: Statement, formatted: str) -> Optional[list[str]]:
    """The statement's lines out of black's output for `wrap_statement` (None if unexpected)."""
    lines = formatted.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for k in range(stmt.depth):
        if not lines or lines.pop(0) != " " * (4 * k) + _WRAP_HEAD.format(k):
            return None
    if not stmt.first_in_block:
        if not lines or lines.pop(0) != " " * stmt.indent + "pass":
            return None
        while lines and not lines[0]:
            lines.pop(0)
    if stmt.header and (not lines or lines.pop() != " " * (stmt.indent + 4) + "pass"):
        return None
    if not lines or not lines[0].startswith(" " * stmt.indent) or not lines[0].strip():
        return None
    return lines


def assemble(plan: Plan, formatted: dict[int, list[str]]) -> str:
    """The block with black's lines (by statement index) in place of the untrusted statements."""
    out: list[str] = []
    for index, stmt in enumerate(plan.statements):
        out.extend(formatted[index] if index in formatted else plan.lines[stmt.first: stmt.last + 1])
    return "\n".join(out) + "\n"


def format_block(block: str, black_format: Callable[[str], str]) -> str:
    """The block as black formats it: trusted statements kept, the others through
    `black_format` one by one (the whole block when its structure is unusual)."""
    plan = plan_block(block)
    if plan is None:
        return black_format(block)
    done: dict[int, list[str]] = {}
    for index, stmt in enumerate(plan.statements):
        if stmt.kind == "code" and not stmt.trusted:
            try:
                lines = unwrap_statement(stmt, black_format(wrap_statement(stmt)))
            except Exception:  # noqa: BLE001 - black rejects the statement alone: it formats the block
                lines = None
            if lines is None:
                return black_format(block)
            done[index] = lines
    return assemble(plan, done)
