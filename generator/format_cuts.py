"""How black cuts one expression line that does not fit: before each top-level delimiter of
the highest priority (black's `delimiter_split`), each piece cut again while it does not fit.

Only the delimiters generated code is cut at are modelled: a comprehension's `for` and `if`,
a conditional's `if`/`else`, `and`/`or`, adjacent strings and `|` (black's priorities 20, 16,
14, 12 and 9). An expression holding a top-level comma, `lambda` or `async`, or a comparison
that would outrank its `|`, is not modelled: callers leave it to black.
"""

from __future__ import annotations

import re
from typing import Optional

from .format_rules import LINE_LENGTH, flatten

_WORD = re.compile(r"[A-Za-z_]\w*")

COMPREHENSION, TERNARY, LOGIC, _STRING, _BAR = 20, 16, 14, 12, 9  # black's priorities
_PRIORITY = {"if": TERNARY, "else": TERNARY, "and": LOGIC, "or": LOGIC}
_COMPARISON = re.compile(r" (?:[<>=!]=?|is|in|not) ")
_STRING_TOKEN = re.compile(r"[A-Za-z]{0,2}\x00+")
_KEYED = re.compile(r"(?<![=!<>])=(?!=)|: |^\*")


def delimiters(skel: str) -> Optional[list[tuple[int, int]]]:
    """(index of the space a cut replaces, priority) of the top-level delimiters black cuts an
    expression at here: `for` and a comprehension's `if`, a conditional's `if`/`else`,
    `and`/`or`, adjacent strings, `|`. None when it holds a top-level comma (other than in a
    `for` target or trailing), `lambda` or `async`, or a comparison above its `|`, or a
    conditional black wraps in invisible parentheses (one inside another's `else`, the
    element of a comprehension, the value of a keyword or key): a cut this model does not
    make."""
    out, depth, target, comprehension = [], 0, skel.startswith("for "), skel.startswith("for ")
    conditional = "else" if skel.startswith("else ") else ""  # "if", then "else": seen so far
    for index, ch in enumerate(skel):
        depth += (ch in "([{") - (ch in ")]}")
        if depth or ch not in ", ":
            continue
        if ch == ",":
            if not target and index != len(skel) - 1:
                return None
            continue
        word = _WORD.match(skel, index + 1)
        name = word.group() if word else ""
        spaced = skel[index + 1 + len(name): index + 2 + len(name)] in (" ", "(", "")
        if name in ("lambda", "async"):
            return None
        if name == "for" and spaced:
            if conditional:
                return None
            out.append((index, COMPREHENSION))
            target = comprehension = True
        elif name == "in" and target:
            target = False
        elif name == "if" and comprehension and spaced:
            out.append((index, COMPREHENSION))
        elif name in ("if", "else") and spaced:
            if conditional == "else" or (name == "else") != (conditional == "if"):
                return None
            if not conditional and _KEYED.search(flatten(skel[:index])):
                return None  # the value of a keyword or key: black wraps it in invisible parentheses
            conditional = name
            out.append((index, TERNARY))
        elif name in _PRIORITY and spaced:
            out.append((index, _PRIORITY[name]))
        elif _STRING_TOKEN.match(skel, index + 1) and _STRING_TOKEN.fullmatch(skel[:index].rsplit(" ", 1)[-1]):
            out.append((index, _STRING))
        elif skel.startswith("| ", index + 1):
            out.append((index, _BAR))
    if out and max(p for _, p in out) == _BAR and _COMPARISON.search(flatten(skel)):
        return None
    return out


def cut(text: str, skel: str, width: int) -> Optional[list[str]]:
    """The lines black's delimiter_split makes of an expression line that does not fit in
    `width` columns: cut before each top-level delimiter of the highest priority, each piece
    cut again while it does not fit (None: black would split otherwise, or text not ASCII)."""
    if not text.isascii():
        return None
    if len(text) <= width:
        return [text]
    found = delimiters(skel)
    if not found:
        return None
    top = max(priority for _, priority in found)
    bounds = [-1] + [index for index, priority in found if priority == top] + [len(text)]
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:]):
        piece = cut(text[a + 1: b], skel[a + 1: b], width)
        if piece is None:
            return None
        out += piece
    return out


def split_ok(lines: list[str], skels: list[str], pad: str) -> bool:
    """Lines at `pad` that black makes of one body cut at its top-level delimiters."""
    text, skel = " ".join(line.strip() for line in lines), " ".join(s.strip() for s in skels)
    return len(text) == len(skel) and cut(text, skel, LINE_LENGTH - len(pad)) == [line.strip() for line in lines]
