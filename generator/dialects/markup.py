"""The markdown pre-pass for type cells: links, escapes, entities, code ticks, emphasis.

A Type cell is raw inline markdown. This module turns it into atoms: characters (escapes
undone, emphasis delimiters removed) and links, whose labels are atoms again. Link labels
may hold balanced brackets (`[Optional[List[X]]](...)`), so links are found with a
bracket matcher; a `[` whose matching `]` is not followed by `(` is literal type syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&#124;": "|", "&quot;": '"'}
_MODELS_NS = re.compile(r"(?:^|/)models/([^/]+)/")


@dataclass(frozen=True, slots=True)
class Char:
    """One character of the cell text; `escaped` when markdown escaped it (`\\*`)."""

    ch: str
    pos: int
    escaped: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A markdown link: its label as atoms (itself a type expression) and its target."""

    children: tuple["Atom", ...]
    target: str
    pos: int
    label_end: int


Atom = Union[Char, Link]


def _match(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index of the bracket closing the one at `start`, or -1; escapes do not count."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _link_target(raw: str) -> str:
    """The destination of `(dest "title")`, without a title or angle brackets."""
    dest = raw.strip().split(" ", 1)[0] if raw.strip() else ""
    return dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest


def read_atoms(text: str, start: int = 0, end: Optional[int] = None) -> list[Atom]:
    """Markdown pre-pass over text[start:end]: links, escapes, entities; code ticks dropped."""
    stop = len(text) if end is None else end
    atoms: list[Atom] = []
    i = start
    while i < stop:
        ch = text[i]
        if ch == "\\" and i + 1 < stop and text[i + 1] in _PUNCT:
            atoms.append(Char(text[i + 1], i, escaped=True))
            i += 2
        elif ch == "`":
            i += 1  # a code span around a type only marks it as code: drop the ticks
        elif ch == "&" and (entity := _entity_at(text, i)):
            atoms.append(Char(_ENTITIES[entity], i, escaped=True))
            i += len(entity)
        elif ch == "[" and (link := _link_at(text, i, stop)) is not None:
            atoms.append(link[0])
            i = link[1]
        else:
            atoms.append(Char(ch, i))
            i += 1
    return atoms


def _entity_at(text: str, i: int) -> str:
    return next((e for e in _ENTITIES if text.startswith(e, i)), "")


def _link_at(text: str, i: int, stop: int) -> Optional[tuple[Link, int]]:
    """A link starting at `[`, with the index after it; None when the `[` is literal."""
    close = _match(text, i, "[", "]")
    if close < 0 or close + 1 >= stop or text[close + 1] != "(":
        return None
    paren = _match(text, close + 1, "(", ")")
    if paren < 0 or paren >= stop:
        return None
    label = strip_emphasis(read_atoms(text, i + 1, close))
    return Link(tuple(label), _link_target(text[close + 2:paren]), i, close), paren + 1


def _is_star(atom: Atom) -> bool:
    return isinstance(atom, Char) and atom.ch == "*" and not atom.escaped


def _is_blank(atoms: list[Atom], i: int) -> bool:
    """True outside the list or on whitespace (a link counts as text)."""
    if i < 0 or i >= len(atoms):
        return True
    atom = atoms[i]
    return isinstance(atom, Char) and atom.ch.isspace()


def strip_emphasis(atoms: list[Atom]) -> list[Atom]:
    """Remove `*`/`**` emphasis delimiters, keeping unmatched stars (Go pointers).

    A simplified CommonMark delimiter match: a run can close when text precedes it and
    open when text follows it; a closer pairs with the nearest opener. So `**string*`
    keeps its first star: emphasis around `*string`, which is a Go pointer.
    """
    drop: set[int] = set()
    openers: list[list[int]] = []  # star indexes of each unmatched opening run
    i = 0
    while i < len(atoms):
        if not _is_star(atoms[i]):
            i += 1
            continue
        j = i
        while j < len(atoms) and _is_star(atoms[j]):
            j += 1
        run = list(range(i, j))
        if not _is_blank(atoms, i - 1):
            while run and openers:
                opener = openers[-1]
                n = 2 if len(run) >= 2 and len(opener) >= 2 else 1
                drop.update(opener[-n:] + run[:n])
                del opener[-n:]
                run = run[n:]
                if not opener:
                    openers.pop()
        if run and not _is_blank(atoms, j):
            openers.append(run)
        i = j
    return [a for k, a in enumerate(atoms) if k not in drop]


def read_markup(text: str) -> list[Atom]:
    """The atoms of one cell: links found, escapes undone, emphasis removed."""
    return strip_emphasis(read_atoms(text))


def is_placeholder(target: str) -> bool:
    """A link target that names no page (`../../models/.md`)."""
    return target == ".md" or target.endswith("/.md")


def is_external(target: str) -> bool:
    """A link to the web rather than to a docs page."""
    return target.lower().startswith(("http://", "https://"))


def namespace_from_target(target: str) -> str:
    """The `<ns>` of a `.../models/<ns>/x.md` target, or ""."""
    found = _MODELS_NS.search(target)
    return found.group(1) if found else ""
