"""Trust rules for statements that span lines: bracket groups in the layouts black keeps.

black splits a line that does not fit (or holds a magic trailing comma) at a bracket pair:
`def` headers at their first bracket (left_hand_split), other statements at their last one
(right_hand_split, trying the invisible parentheses around a right-hand side first). The body
of the pair then stays on one line if it fits, is cut one item per line when it ends in a
magic trailing comma, or is cut before each of its top-level delimiters of the highest
priority (`if`/`else`, `or`/`and`, adjacent strings). The rules below accept only groups
whose every line is one black leaves alone and whose split is the one black chooses:

- exploded: `head(` / items one per line, each ending in a comma / `)` (a magic comma keeps
  it; an item may itself be such a group, or a hugged call, or a parenthesized expression);
- hugged: `head(` / one body line, or a body cut at its delimiters / `)`, when the joined
  line is too long (so black splits it) and the head is free of delimiters (so the last
  bracket is the one black splits at, without wrapping the right-hand side in parentheses);
- a right-hand side in parentheses `x = (` / body / `)`, where black can split nowhere else;
- a `def` header, exploded or hugged, with `) -> Return:` on the closing line.

Each rule is conservative: false means "let black decide". The tests compare them with black.
"""

from __future__ import annotations

import re
from typing import Optional

from .format_cuts import COMPREHENSION, LOGIC, TERNARY, delimiters, split_ok
from .format_rules import LINE_LENGTH, flatten, line_ok, width_ok

_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_NAME = r"[A-Za-z_][\w.]*"
# The part of an item before its opening bracket: a dict key or keyword, then a callee.
_ITEM_HEAD = re.compile(rf"(?:\x00+: |[A-Za-z_]\w*=)?(?P<callee>(?:await )?{_NAME})?")
# A statement before its opening bracket (bracket contents removed): target, callee.
_TARGETS = rf"{_NAME}(?:\[\])?(?:, {_NAME}(?:\[\])?)*"
_STMT_HEAD = re.compile(rf"(?:(?:return|raise) |from [\w.]+ import |(?P<lhs>{_TARGETS})(?P<hint>: [\w. |\[\]]+)? = )?"
                        rf"(?:await )?(?P<callee>{_NAME})?")
_DEF_HEAD = re.compile(r"(?:async )?def [A-Za-z_]\w*")
_DEF_TAIL = re.compile(r"\)(?: -> [^\x00]+)?:")
_TARGET = re.compile(rf"{_NAME}(?:\[\x00+\])?")
_DECLARED = re.compile(r"[A-Za-z_]\w*: [^=\x00]+")  # a name and its annotation
_ANY_TARGET = re.compile(rf"{_NAME}(?:\[[^\]=]*\])?(?:: [^=]+)?|{_NAME}(?:, {_NAME})+")


def too_long(text: str) -> bool:
    """Certainly longer than black's line length (black counts no character as narrower)."""
    return text.isascii() and len(text) > LINE_LENGTH


def _net(skel: str) -> int:
    """Brackets opened minus brackets closed (str.count: this runs on every line of every block)."""
    return (skel.count("(") + skel.count("[") + skel.count("{")
            - skel.count(")") - skel.count("]") - skel.count("}"))


def _spans(skels: list[str], lo: int, hi: int) -> Optional[list[tuple[int, int]]]:
    """The lines lo..hi-1 cut into top-level spans (a line, or a bracket group over lines)."""
    out, i = [], lo
    while i < hi:
        depth, j = _net(skels[i]), i
        while depth > 0 and j + 1 < hi:
            j += 1
            depth += _net(skels[j])
        if depth != 0:
            return None
        out.append((i, j))
        i = j + 1
    return out


def _body_ok(lines: list[str], skels: list[str], pad: str) -> bool:
    """A body at `pad`: one line black keeps, or a cut black makes (body too long as one line)."""
    for line, skel in zip(lines, skels):
        if not line.startswith(pad) or line[len(pad):][:1] in ("", " ") or not line_ok(line, skel):
            return False
    if len(lines) == 1:
        return True
    return split_ok(lines, skels, pad)


def _hug_ok(lines: list[str], skels: list[str], spans: list[tuple[int, int]], pad: str, opener: str,
            call: bool, joined: str) -> bool:
    """One body inside the brackets (no trailing comma) where the joined line is too long."""
    if len(spans) == 1 and spans[0][0] != spans[0][1]:  # a call or bracket of its own, split in turn
        return _item_ok(lines, skels, *spans[0], pad + "    ", comma=False) and too_long(joined)
    if any(a != b for a, b in spans):
        return opener == "(" and not call and _else_hug_ok(lines, skels, spans, pad + "    ")
    body, body_skels = [lines[a] for a, _ in spans], [skels[a] for a, _ in spans]
    if any(s.rstrip().endswith(",") for s in body_skels) or not _body_ok(body, body_skels, pad + "    "):
        return False
    found = delimiters(" ".join(s.strip() for s in body_skels))
    if not call and found is None:
        return False  # an atom whose body has commas is a collection: black explodes it
    if len(body) > 1 and not call and opener != "(" and max(p for _, p in found or [(0, 0)]) != COMPREHENSION:
        return False
    return too_long(joined)


def _else_hug_ok(lines: list[str], skels: list[str], spans: list[tuple[int, int]], pad: str) -> bool:
    """A conditional in parentheses cut before its `if` and `else`, whose `else` line, too long
    and free of delimiters of its own, black splits at its last bracket: `else [` / content
    (hugged, or cut at its delimiters) / `]`."""
    if len(spans) != 3 or any(a != b for a, b in spans[:2]):
        return False
    first, last = spans[2]
    head = skels[first]
    if not head.startswith(pad + "else ") or head[-1] not in _CLOSERS or lines[last] != pad + _CLOSERS[head[-1]]:
        return False
    if not all(_body_ok([lines[a]], [skels[a]], pad) for a, _ in spans[:2]) or not line_ok(lines[first], head):
        return False
    match = _ITEM_HEAD.fullmatch(head[len(pad) + 5: -1])
    callee = match is not None and bool(match.group("callee"))
    if match is None or head[-1] == "{" and callee:
        return False
    joined = _joined(lines, first, last)
    group_skel = _joined(skels, first, last)
    if not too_long(joined) or len(group_skel) != len(joined) or delimiters(group_skel[len(pad) + 5:]) != []:
        return False
    rows = [lines[spans[0][0]].strip(), lines[spans[1][0]].strip(), joined.strip()]
    text = " ".join(rows)
    cuts = delimiters(" ".join([skels[spans[0][0]].strip(), skels[spans[1][0]].strip(), group_skel.strip()])) or []
    top = [index for index, priority in cuts if priority == TERNARY]
    if max((priority for _, priority in cuts), default=0) != TERNARY or len(top) != 2:
        return False
    if [text[: top[0]], text[top[0] + 1: top[1]], text[top[1] + 1:]] != rows:
        return False
    subscript = callee and head[-1] == "["  # hugs its content as a call does
    return _content_ok(lines, skels, first, last, head[-1], callee, explode=not subscript)


def _content_ok(lines: list[str], skels: list[str], first: int, last: int, opener: str, call: bool,
                hug: bool = True, explode: bool = True) -> bool:
    """The lines between a group's opening line `first` and closing line `last` (`hug`: a
    single body without a trailing comma may stand there; `explode`: items one per line)."""
    pad = lines[first][: len(lines[first]) - len(lines[first].lstrip(" "))]
    spans = _spans(skels, first + 1, last)
    if not spans:
        return False
    if skels[spans[-1][1]].rstrip().endswith(","):
        items: list[list[tuple[int, int]]] = [[]]
        for a, b in spans:  # an item is the spans up to one ending in a comma
            items[-1].append((a, b))
            if skels[b].rstrip().endswith(","):
                items.append([])
        items.pop()
        magic = explode and (len(items) > 1 or call or opener != "(")
        return magic and all(_item_ok(lines, skels, *item[0], pad + "    ") if len(item) == 1
                             else _cut_item_ok(lines, skels, item, pad + "    ") for item in items)
    return hug and _hug_ok(lines, skels, spans, pad, opener, call, _joined(lines, first, last))


def _cut_item_ok(lines: list[str], skels: list[str], item: list[tuple[int, int]], pad: str) -> bool:
    """An item too long for its line cut before its top-level `and`/`or` (black's layout: a
    conditional would be put in parentheses instead)."""
    if any(a != b for a, b in item):
        return False
    rows, row_skels = [lines[a] for a, _ in item], [skels[a] for a, _ in item]
    found = delimiters(" ".join(s.strip() for s in row_skels))
    return bool(found) and max(p for _, p in found or []) == LOGIC and _body_ok(rows, row_skels, pad)


def _joined(lines: list[str], first: int, last: int) -> str:
    """The group as one line, as black sees it before splitting."""
    inner = " ".join(line.strip() for line in lines[first + 1: last])
    return lines[first] + inner + lines[last].strip()


def _item_ok(lines: list[str], skels: list[str], first: int, last: int, pad: str, comma: bool = True) -> bool:
    """One item of an exploded group, ending in a comma (or, without `comma`, the body of a
    hugged group that is itself split at its last bracket)."""
    line, skel = lines[first], skels[first].rstrip()
    if not line.startswith(pad) or line[len(pad):][:1] in ("", " ") or len(skel) != len(line):
        return False
    if first == last:
        return comma and skel.endswith(",") and _net(skel) == 0 and line_ok(line, skel[:-1])
    head = skel[len(pad):]
    match = _ITEM_HEAD.fullmatch(head[:-1])
    if match is None or head[-1] not in _CLOSERS or not line_ok(line, skel):
        return False
    if lines[last] != pad + _CLOSERS[head[-1]] + ("," if comma else ""):
        return False
    call = head[-1] == "(" and bool(match.group("callee"))
    if head[-1] == "[" and match.group("callee"):
        return False  # a subscript
    return _content_ok(lines, skels, first, last, head[-1], call)


def _paren_rhs_ok(lines: list[str], skels: list[str], pad: str) -> bool:
    """`target = (` or `return (` / body / `)`: black's layout when the right-hand side cannot
    be split anywhere else: two or more top-level delimiters of the body's highest priority
    (which keep the invisible parentheses), or a name or one call whose head is too long."""
    head = skels[0][len(pad):]
    target, _, rest = head.partition(" = ")
    if head == "return (":
        target, rest = "", "("
    if rest != "(" or lines[-1] != pad + ")" or not line_ok(lines[0], skels[0]):
        return False
    if target and not _ANY_TARGET.fullmatch(target):
        return False
    body, body_skels = lines[1:-1], skels[1:-1]
    if len(body) > 2 and _net(body_skels[0]) == 1 and _spans(skels, 1, len(lines) - 1) == [(1, len(lines) - 2)]:
        return _paren_call_ok(lines, skels, pad, target)
    if not body or any(_net(s) for s in body_skels) or not _body_ok(body, body_skels, pad + "    "):
        return False
    text, skel = " ".join(line.strip() for line in body), " ".join(s.strip() for s in body_skels)
    if not too_long(f"{pad}{lines[0].strip()[:-1]}{text}"):
        return False
    found = delimiters(skel) or []
    top = max((priority for _, priority in found), default=0)
    if sum(priority == top for _, priority in found) >= 2:
        return True
    flat = flatten(skel)
    if len(body) == 1 and _DECLARED.fullmatch(target) and re.fullmatch(_NAME, flat):
        return True  # `name: hint = (` / a name / `)`: black's layout when that head fits (see view_layout.declaration)
    if len(body) > 1 or not target or not _TARGET.fullmatch(target) or not re.fullmatch(rf"{_NAME}(?:\(\))?", flat):
        return False
    return not flat.endswith("()") or too_long(f"{pad}{target} = {body[0].strip().split('(', 1)[0]}(")


def _paren_call_ok(lines: list[str], skels: list[str], pad: str, target: str) -> bool:
    """`target = (` / a call split in turn / `)`: black's second opinion when the call's head
    does not fit after the target (every line of this layout fitting)."""
    callee = skels[1][len(pad) + 4: -1]
    if not _TARGET.fullmatch(target) or not re.fullmatch(_NAME, callee) or skels[1][-1] != "(":
        return False
    if not _item_ok(lines, skels, 1, len(lines) - 2, pad + "    ", comma=False):
        return False
    return all(width_ok(line) for line in lines) and too_long(f"{pad}{target} = {callee}(")


def _annotation_ok(lines: list[str], skels: list[str], pad: str) -> bool:
    """`name: (` / union / `) = value`: black's layout of a declaration too long for its line
    whose annotation is a union ending in a name (its invisible parentheses stay), where the
    value (a name) is the only alternative and the head before it is too long too."""
    if len(lines) != 3 or not re.fullmatch(rf"{pad}[A-Za-z_]\w*: \(", skels[0]) or len(skels[0]) != len(lines[0]):
        return False
    close = re.fullmatch(rf"{pad}\)(?: = (?P<value>{_NAME}))?", lines[2])
    hint, hint_skel = lines[1], skels[1]
    if close is None or " | " not in flatten(hint_skel) or not (hint[-1].isalnum() or hint[-1] in "_]"):
        return False
    if not _body_ok([hint], [hint_skel], pad + "    ") or not too_long(_joined(lines, 0, 2)):
        return False
    head = f"{lines[0][:-1]}{hint.strip()} = "  # black: the head must not fit in 87 columns
    return not close.group("value") or (head.isascii() and len(head) > LINE_LENGTH - 1)


def statement_ok(text: str, skel: str, indent: int) -> bool:
    """A statement over several lines (not a block header or decorator) that black keeps."""
    lines, skels = text.split("\n"), skel.split("\n")
    if len(skels) != len(lines) or len(lines) < 3:
        return False  # a string spans lines
    pad = " " * indent
    head = skels[0].rstrip()
    if not head or head[-1] not in _CLOSERS or _net(head) != 1 or len(head) != len(lines[0]):
        return False
    if _paren_rhs_ok(lines, skels, pad) or _annotation_ok(lines, skels, pad):
        return True
    match = _STMT_HEAD.fullmatch(flatten(head[len(pad):-1]))
    close = pad + _CLOSERS[head[-1]]
    if head[len(pad):].startswith("raise ") and re.fullmatch(rf"{re.escape(close)} from {_NAME}", skels[-1]):
        close = skels[-1]  # `raise X(...) from y`: black splits at the last bracket all the same
    if match is None or not line_ok(lines[0], head) or lines[-1] != close:
        return False
    callee, last = bool(match.group("callee")), len(lines) - 1
    if callee and head[-1] == "{":
        return False
    if callee and head[-1] == "[":  # a subscript hugs its content as a call does
        return _content_ok(lines, skels, 0, last, "[", True, explode=False)
    # A parenthesized atom here is exploded (a tuple); hugged, it is the case above.
    return _content_ok(lines, skels, 0, last, head[-1], callee, hug=callee or head[-1] != "(")


def _param_ok(lines: list[str], skels: list[str], first: int, last: int, pad: str) -> bool:
    """`name: (` / annotation / `) = default,`: black's layout of a parameter too long for its
    line whose annotation has two or more top-level `|` (its invisible parentheses stay) and
    whose default holds no bracket (so they are the last pair on the line)."""
    head, close = skels[first], skels[last]
    if last < first + 2 or not re.fullmatch(rf"{pad}[A-Za-z_]\w*: \(", head) or len(head) != len(lines[first]):
        return False
    if not re.fullmatch(rf"{pad}\)(?: = [^()\[\]{{}}]+)?,", close) or not line_ok(lines[last].strip(), close.strip()):
        return False
    hint, hint_skel = lines[first + 1: last], skels[first + 1: last]
    if not _body_ok(hint, hint_skel, pad + "    ") or flatten(" ".join(hint_skel)).count(" | ") < 2:
        return False
    return width_ok(lines[last]) and too_long(_joined(lines, first, last))


def def_ok(text: str, skel: str, indent: int) -> bool:
    """A `def` / `async def` header over several lines: `def name(` / parameters one per line
    with a trailing comma, or all on one line / `) -> Return:`."""
    lines, skels = text.split("\n"), skel.split("\n")
    if len(skels) != len(lines) or len(lines) < 3:
        return False
    pad = " " * indent
    head, tail = skels[0][len(pad):].rstrip(), lines[-1][len(pad):]
    if not head.endswith("(") or not _DEF_HEAD.fullmatch(head[:-1]) or not line_ok(lines[0], skels[0]):
        return False
    if not lines[-1].startswith(pad) or not _DEF_TAIL.fullmatch(skels[-1][len(pad):]):
        return False
    if not line_ok(tail, skels[-1][len(pad):]) or not width_ok(lines[-1]) or len(tail) != len(skels[-1]) - len(pad):
        return False
    params, param_skels = lines[1:-1], skels[1:-1]
    spans = _spans(skels, 1, len(lines) - 1)
    if spans and all(skels[b].rstrip().endswith(",") for _, b in spans):
        return all(_item_ok(lines, skels, a, b, pad + "    ") if a == b else _param_ok(lines, skels, a, b, pad + "    ")
                   for a, b in spans)
    if len(params) != 1 or "," not in flatten(param_skels[0]) or param_skels[0].rstrip().endswith(","):
        return False  # one parameter alone gets a trailing comma from black
    return _body_ok(params, param_skels, pad + "    ") and too_long(_joined(lines, 0, len(lines) - 1))


def header_ok(text: str, skel: str, indent: int) -> bool:
    """`if (` / condition / `):` (or `elif`, `while`): black's layout of a condition too long for
    its line with two or more top-level delimiters of its highest priority."""
    lines, skels = text.split("\n"), skel.split("\n")
    pad = " " * indent
    match = re.fullmatch(rf"{pad}(if|elif|while) \(", skels[0]) if len(skels) == len(lines) > 2 else None
    body, body_skels = lines[1:-1], skels[1:-1]
    if match is None or lines[0] != skels[0] or lines[-1] != pad + "):" or any(_net(s) for s in body_skels):
        return False
    found = delimiters(" ".join(s.strip() for s in body_skels)) or []
    top = max((priority for _, priority in found), default=0)
    if sum(priority == top for _, priority in found) < 2 or not _body_ok(body, body_skels, pad + "    "):
        return False
    return too_long(f"{pad}{match.group(1)} {' '.join(line.strip() for line in body)}:")
