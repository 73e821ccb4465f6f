"""Black's layout for the code the views emit, decided where that code is built.

Views build statements and expressions as one-line strings. Those that do not fit black's 88
columns are laid out here as black lays them out, or (where black's own choice is harder to
predict) in another layout black keeps, so that formatting finds nothing left to do: the
formatting stage trusts exactly these shapes (format_groups) and black stays the arbiter of
anything else. The code is our own: it is cut at its top-level brackets, commas and keywords
on a skeleton with the string literals blanked.

Layouts, in black's order of preference: one line; `head(` / the arguments on one line / `)`
("hugged"); one argument per line with a trailing comma ("exploded"); a right-hand side or an
item in parentheses, on one line or cut before its `if`/`else` or `or`/`and`. A string
argument too long for its line is cut at spaces into adjacent literals. What fits none of
these is left on one line for black.

A layout is a list of lines relative to the statement's indentation; `fill` returns what a
template puts between its own text before and after, continuation lines indented absolutely.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from .format_cuts import LOGIC, TERNARY, cut, delimiters
from .format_rules import LINE_LENGTH, STRINGS, flatten, width_ok

_CALLEE = re.compile(r"(?:await )?[A-Za-z_][\w.]*")
_KEY = re.compile(r"\x00+: |[A-Za-z_]\w*=(?!=)")  # on a skeleton: a dict key or a keyword
_ASSIGN = re.compile(r"(?<![=!<>:+\-*/%&|^@])=(?!=)|: ")
_NOT_WRAPPABLE = frozenset({"lambda", "yield", "from", "import", "async"})
_TARGET = re.compile(r"[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:: .+)?")
_SIMPLE_TARGET = re.compile(r'[A-Za-z_][\w.]*(?:\["[^"\\\n]*"\])?')
_NAME_OR_CALL = re.compile(r"(?:[A-Za-z_][\w.]*)(?:\(\))?")
_WORD = re.compile(r"[A-Za-z_]\w*")
_HEADER = re.compile(r"(?:if|elif|else|for|while|with|try|except|finally|def|class|async|match|case)\b")
_PLAIN_STRING = re.compile(r'"[^"\\\n]*"')
_EQUALS = re.compile(r"(?= = )")
_NAME_DEFAULT = re.compile(r" = [A-Za-z_][\w.]*")


def skeleton(text: str) -> str:
    """`text` with every string literal blanked to NULs (positions kept)."""
    return STRINGS.sub(lambda m: "\x00" * len(m.group()) if m.lastgroup != "com" else m.group(), text)


def _fits(indent: int, text: str) -> bool:
    return width_ok(" " * indent + text)


def _cuts(skel: str, lo: int, hi: int, sep: str = ",") -> list[int]:
    """Positions of `sep` in skel[lo:hi] outside brackets."""
    out, depth = [], 0
    for index in range(lo, hi):
        ch = skel[index]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(index)
    return out


def _opener(skel: str) -> int:
    """Index of the bracket the last character closes (-1 when it is no closing bracket)."""
    if not skel or skel[-1] not in ")]}":
        return -1
    depth = 0
    for index in range(len(skel) - 1, -1, -1):
        depth += (skel[index] in ")]}") - (skel[index] in "([{")
        if depth == 0:
            return index
    return -1


def _split_args(text: str, skel: str, lo: int, hi: int) -> list[str]:
    cuts = [lo - 1] + _cuts(skel, lo, hi) + [hi]
    return [text[a + 1: b].strip() for a, b in zip(cuts, cuts[1:])]


def _wrappable(expr: str) -> bool:
    """An expression that may stand in parentheses: no top-level comma, keyword argument,
    dict key, unpacking or keyword that only parses unparenthesized."""
    skel = skeleton(expr)
    flat = flatten(skel)
    return not (expr.startswith("*") or _cuts(skel, 0, len(skel)) or _ASSIGN.search(flat)
                or _NOT_WRAPPABLE & set(_WORD.findall(flat)))


def _paren(prefix: str, expr: str, suffix: str, indent: int) -> Optional[list[str]]:
    """`prefix(` / expr, on one line or cut before its keywords / `)suffix`."""
    if not _fits(indent, prefix + "(") or not _wrappable(expr):
        return None
    body = [expr] if _fits(indent + 4, expr) else _cut_hugging(expr, indent + 4)
    if body is None:
        return None
    return [prefix + "("] + ["    " + line for line in body] + [")" + suffix]


def _cut_hugging(expr: str, indent: int) -> Optional[list[str]]:
    """`expr` cut at its delimiters for `indent` (see format_cuts.cut); or a conditional cut
    before its `if` and `else` whose `else` branch, too long for its line and free of
    delimiters, ends in a bracket that black splits in turn: `else [` / content / `]`."""
    skel = skeleton(expr)
    found = cut(expr, skel, LINE_LENGTH - indent)
    marks = delimiters(skel) or []
    if found is not None or max((p for _, p in marks), default=0) != TERNARY:
        return found
    at = [index for index, priority in marks if priority == TERNARY]
    if len(at) != 2 or not expr.startswith("else ", at[1] + 1):
        return None
    pieces = [expr[: at[0]], expr[at[0] + 1: at[1]], expr[at[1] + 1:]]
    rest, rest_skel = pieces[2][5:], skel[at[1] + 6:]
    if not all(_fits(indent, piece) for piece in pieces[:2]) or delimiters(rest_skel) != []:
        return None
    hugged = _bracket("else ", rest, rest_skel, "", indent)
    return None if hugged is None else pieces[:2] + hugged


def _string_chunks(literal: str, width: int) -> Optional[list[str]]:
    """A plain string literal cut into adjacent literals of at most `width` columns, at spaces
    where it can (the same string: Python joins adjacent literals)."""
    if not _PLAIN_STRING.fullmatch(literal) or width < 12:
        return None
    chunks, current = [], ""
    for word in re.findall(r"[^ ]* *", literal[1:-1]):
        while len(word) + 2 > width:  # a word longer than a line is cut anywhere
            if current:
                chunks.append(current)
                current = ""
            chunks.append(word[: width - 2])
            word = word[width - 2:]
        if current and len(current) + len(word) + 2 > width:
            chunks.append(current)
            current = ""
        current += word
    out = [f'"{c}"' for c in chunks + ([current] if current else [])]
    return out if len(out) > 1 else None


def _bracket(prefix: str, expr: str, skel: str, suffix: str, indent: int) -> Optional[list[str]]:
    """`expr` ending in a bracket pair whose head holds no delimiter: the content on one line
    inside (hugged), or cut at its delimiters, or one argument per line."""
    start = _opener(skel)
    head_flat = flatten(skel[:start]).strip()
    if start < 0 or not (head_flat == "" or _CALLEE.fullmatch(head_flat)):
        return None
    head, body, tail, opener = prefix + expr[: start + 1], expr[start + 1: -1], expr[-1] + suffix, expr[start]
    if head_flat and opener == "{" or not _fits(indent, head) or not body.strip() or body.rstrip().endswith(","):
        return None
    call, subscript = bool(head_flat) and opener == "(", bool(head_flat) and opener == "["
    words = _WORD.findall(flatten(skel[start + 1: -1]))
    if "lambda" in words:
        return None  # its parameters' commas are no argument separators
    comprehension = "for" in words  # nor are a comprehension's target commas
    args = [] if comprehension else _split_args(expr, skel, start + 1, len(expr) - 1)
    if call or subscript or (opener != "(" and len(args) < 2):
        if _fits(indent + 4, body):
            return [head, "    " + body, tail]
        width = LINE_LENGTH - indent - 4
        pieces = _string_chunks(body, width) if call and len(args) == 1 else None
        if pieces is None and (call and len(args) == 1 or comprehension):
            pieces = cut(body, skel[start + 1: -1], width)
        if pieces is None and call and len(args) == 1:  # the argument is split in turn
            pieces = _bracket("", body, skel[start + 1: -1], "", indent + 4)
        if pieces is not None:
            return [head] + ["    " + piece for piece in pieces] + [tail]
    if comprehension or subscript or not (len(args) > 1 or call or opener != "("):
        return None
    lines = [head]
    for arg in args:
        lines += ["    " + line for line in item_lines(arg, indent + 4)]
    return lines + [tail]


def layout(prefix: str, expr: str, suffix: str, indent: int, item: bool = False) -> Optional[list[str]]:
    """`prefix + expr + suffix` at `indent` in a layout black keeps (None: none is known).

    `item`: an item of a bracket exploded one per line (`suffix` is its comma); a leading dict
    key or keyword of `expr` stays on the first line."""
    if _fits(indent, prefix + expr + suffix):
        return [prefix + expr + suffix]
    key = _KEY.match(skeleton(expr)) if item and not prefix else None
    if key:
        prefix, expr = expr[: key.end()], expr[key.end():]
    skel = skeleton(expr)
    found = _bracket(prefix, expr, skel, suffix, indent)
    if found is not None:
        return found
    if item:
        whole = prefix + expr + suffix
        cuts = delimiters(skeleton(whole)) or []
        if max((priority for _, priority in cuts), default=0) == LOGIC:  # black cuts it before `or`
            return cut(whole, skeleton(whole), LINE_LENGTH - indent) or _paren(prefix, expr, suffix, indent)
        return _paren(prefix, expr, suffix, indent)
    cuts = delimiters(skel) or []
    top = max((priority for _, priority in cuts), default=0)
    target = prefix[:-3] if prefix.endswith(" = ") else None
    if sum(p == top for _, p in cuts) > 1 and (prefix == "return " or (target and _TARGET.fullmatch(target))):
        return _paren(prefix, expr, suffix, indent)
    flat = flatten(skel)
    if target is None or not _SIMPLE_TARGET.fullmatch(target) or not _NAME_OR_CALL.fullmatch(flat):
        return None
    if flat.endswith("()") and _fits(indent, prefix + expr[: expr.index("(") + 1]):
        return None  # black would cut at the call's bracket (it does not fit either way)
    if _fits(indent + 4, expr):
        return _paren(prefix, expr, suffix, indent)
    inner = _bracket("", expr, skel, "", indent + 4) if flat.endswith("()") else None
    return None if inner is None else [prefix + "("] + ["    " + line for line in inner] + [")" + suffix]


def item_lines(text: str, indent: int) -> list[str]:
    """An item of an exploded bracket (`"key": value`, `name=value` or a value), comma included."""
    found = layout("", text, ",", indent, item=True)
    return found if found is not None else [text + ","]


def statement_lines(text: str, indent: int) -> list[str]:
    """One simple statement (`return x`, `raise x`, `target = x` or an expression)."""
    if _HEADER.match(text) or text.endswith(":") or _fits(indent, text):
        return [text]
    skel = skeleton(text)
    prefix = next((p for p in ("return ", "raise ") if text.startswith(p)), "")
    if not prefix:
        equals = [m.start() for m in _EQUALS.finditer(skel) if _depth(skel, m.start()) == 0]
        if len(equals) == 1 and not _cuts(skel, 0, equals[0]):
            prefix = text[: equals[0] + 3]
    found = layout(prefix, text[len(prefix):], "", indent)
    return found if found is not None else [text]


def _depth(skel: str, end: int) -> int:
    head = skel[:end]
    return (head.count("(") + head.count("[") + head.count("{")
            - head.count(")") - head.count("]") - head.count("}"))


def block_lines(lines: Sequence[str], indent: int) -> tuple[str, ...]:
    """Relative lines of a body laid out, each at `indent` plus its own leading spaces: simple
    statements, block headers, and brackets a view exploded itself (`head(` / items / `)`),
    whose items are laid out as items."""
    out: list[str] = []
    depth = 0
    for line in lines:
        text = line.lstrip(" ")
        pad, skel = line[: len(line) - len(text)], skeleton(text)
        net = _depth(skel, len(skel))
        if depth > 0 and net == 0 and text.endswith(","):
            parts = item_lines(text[:-1], indent + len(pad))
        else:
            parts = [text] if depth > 0 or net else statement_lines(text, indent + len(pad))
        depth += net
        out += [pad + part for part in parts]
    return tuple(out)


def indented(lines: Sequence[str], indent: int) -> str:
    """Lines relative to `indent` as one text for a template that writes the first line's indentation."""
    return ("\n" + " " * indent).join(lines)


def fill(prefix: str, expr: str, suffix: str, indent: int, item: bool = False) -> str:
    """What a template writing `prefix` ... `suffix` at `indent` puts in between."""
    found = layout(prefix, expr, suffix, indent, item) or [prefix + expr + suffix]
    text = indented(found, indent)
    return text[len(prefix): len(text) - len(suffix)]


def params(head: str, items: Sequence[str], tail: str, indent: int) -> str:
    """The parameters of a `def` whose header is `head` ... `tail` (head ends with `(`, tail
    starts with `)`): on the header line, hugged on their own line, or one per line."""
    joined = ", ".join(items)
    if _fits(indent, head + joined + tail) or not _fits(indent, head):
        return joined
    pad = "\n" + " " * (indent + 4)
    if len(items) > 1 and _fits(indent + 4, joined):
        return pad + joined + "\n" + " " * indent
    return "".join(pad + line for item in items for line in _param_lines(item, indent + 4)) + "\n" + " " * indent


def _param_lines(param: str, indent: int) -> list[str]:
    """One parameter of an exploded `def`, comma included: `name: (` / annotation / `) = default,`
    when it does not fit and its annotation is a union of three or more (see format_groups)."""
    skel = skeleton(param)
    colon, equals = skel.find(": "), skel.rfind(" = ")
    hint = param[colon + 2: equals if equals > 0 else len(param)]
    if _fits(indent, param + ",") or colon < 0 or flatten(skeleton(hint)).count(" | ") < 2:
        return [param + ","]
    body = cut(hint, skeleton(hint), LINE_LENGTH - indent - 4)
    if body is None or not re.fullmatch(r"[A-Za-z_]\w*", param[:colon]):
        return [param + ","]
    default = param[equals:] if equals > 0 else ""
    return [param[:colon] + ": ("] + ["    " + line for line in body] + [")" + default + ","]


def annotation(name: str, hint: str, default: str, indent: int) -> str:
    """The hint of a declaration `name: hint<default>` at `indent`: in parentheses on a line of
    its own when the declaration does not fit and black would put it there (a union ending in
    a name, and a default that is a name after a head too long as well; see format_groups)."""
    line = f"{' ' * indent}{name}: {hint}{default}"
    if width_ok(line) or not line.isascii() or " | " not in flatten(skeleton(hint)) or not _fits(indent + 4, hint):
        return hint
    if not (hint[-1].isalnum() or hint[-1] in "_]") or not re.fullmatch(r"(?: = [A-Za-z_][\w.]*)?", default):
        return hint
    if default and len(f"{' ' * indent}{name}: {hint} = ") <= LINE_LENGTH - 1:
        return hint
    return f"(\n{' ' * (indent + 4)}{hint}\n{' ' * indent})"


def declaration(name: str, hint: str, default: str, indent: int) -> tuple[str, str]:
    """(hint, default) of a declaration `name: hint<default>` at `indent` as black lays it out:
    the hint in parentheses (`annotation`), or else a default that is a name on a line of its
    own in parentheses, which black writes when the declaration does not fit and its head
    `name: hint = (` does (format_groups._paren_rhs_ok trusts exactly that)."""
    laid = annotation(name, hint, default, indent)
    pad = " " * indent
    if laid != hint or width_ok(f"{pad}{name}: {hint}{default}") or not _NAME_DEFAULT.fullmatch(default):
        return laid, default
    head = f"{pad}{name}: {hint} = ("
    if not head.isascii() or len(head) > LINE_LENGTH:
        return laid, default
    return hint, f" = (\n{pad}    {default[3:]}\n{pad})"
