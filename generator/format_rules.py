"""The trust rules of statement-level formatting: string predicates that are true only of
source text black leaves exactly as it is (see format_lines for how they are used).

Each rule is conservative: false means "let black decide", never "black would change it".
"""

from __future__ import annotations

import re

LINE_LENGTH = 88
TOKENS = re.compile(
    r'(?P<s3>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
    r'|(?P<s1>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<com>#[^\n]*)|(?P<op>[(\[{])|(?P<cl>[)\]}])|(?P<bs>\\\n)|(?P<nl>\n)",
    re.S,
)
_NUMBER = re.compile(r"(?<![\w.\x00])(?:\d[\w.]*|\.\d\w*)")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MAGIC_COMMA = re.compile(r",\s*[)\]}]")
_POWER = re.compile(r"[\w)\]\x00]\s*\*\*")
_RUN = re.compile(r"\x00+")
_BAD_SPACING = re.compile(r",(?=[^\s)\]}])|[(\[{] | [,)\]}]| :(?!=)")
_PREFIX = re.compile(r"[A-Za-z_]\w*$")
_PLAIN_STRING = re.compile(r'"[^"\\\n]*"')
_GOOD_PREFIXES = frozenset({"", "f", "r", "b", "rb", "rf"})
_HEX_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{)")
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def width_ok(text: str) -> bool:
    """Certainly within black's line length (a character is at most 2 columns wide)."""
    return len(text) <= LINE_LENGTH if text.isascii() else 2 * len(text) <= LINE_LENGTH


def strings_ok(line: str, skel: str) -> bool:
    """Each string literal is one black leaves alone: double quotes, no escapes, plain prefix."""
    for run in _RUN.finditer(skel):
        if not _PLAIN_STRING.fullmatch(line, run.start(), run.end()):
            return False
        prefix = _PREFIX.search(skel, 0, run.start())
        if prefix is not None and prefix.group() not in _GOOD_PREFIXES:
            return False
    return True


def comment_ok(line: str) -> bool:
    """A comment in black's shape: `# text` or a bare `#`, two spaces before an inline one."""
    if "#" not in line:
        return True
    found = [m for m in TOKENS.finditer(line) if m.lastgroup == "com"]
    if not found:
        return True
    comment = found[-1].group()
    if not (comment == "#" or comment.startswith("# ")) or "fmt:" in comment or "type:" in comment:
        return False
    code = line[: found[-1].start()]
    return not code.strip() or (code.endswith("  ") and not code.endswith("   "))


def syntax_ok(skel: str) -> bool:
    """No construct black rewrites even on a short line (and none of the usual spacing slips)."""
    if any(ch in skel for ch in ";\\\t\f") or _MAGIC_COMMA.search(skel) or _POWER.search(skel):
        return False
    if "  " in skel.strip() or _BAD_SPACING.search(skel):
        return False
    return all(_PLAIN_NUMBER.fullmatch(m.group()) for m in _NUMBER.finditer(skel))


def colons_at_depth0(skel: str) -> int:
    depth = count = 0
    for ch in skel:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0:
            count += 1
    return count


def depth_change(skel: str) -> int:
    """Brackets opened minus closed (-1 as soon as one closes more than was opened)."""
    depth = 0
    for ch in skel:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return -1
    return depth


def line_ok(line: str, skel: str, header: str = "") -> bool:
    """One physical line that black renders exactly as it is."""
    if line != line.rstrip() or not width_ok(line) or not syntax_ok(skel):
        return False
    if not strings_ok(line, skel) or not comment_ok(line):
        return False
    code = skel.strip()
    if header:
        if header in ("match", "case") or not code.endswith(":") or colons_at_depth0(code) != 1:
            return False
        if header == "class" and code.endswith("():"):
            return False
    return code != "..."


def docstring_ok(source: str, indent: int) -> bool:
    """A triple-double-quoted docstring statement (indented by `indent`) in the shape black's
    docstring handling keeps."""
    text = source[indent:]
    if not (text.startswith('"""') and text.endswith('"""')) or len(text) < 7:
        return False
    body = text[3:-3]
    if any(ch in body for ch in "\t\r\f\v") or re.search(r"\\\s*\n", body) or _HEX_ESCAPE.search(body):
        return False
    lines = body.split("\n")
    first = lines[0]
    if not first or first != first.strip() or first[0] == '"':
        return False
    if len(lines) == 1:
        return first[-1] not in '"\\'
    pad = " " * indent
    last = lines[-1]
    if last != pad:  # closing quotes after the text: black keeps them there while they fit
        if not last.strip() or last[-1] in '"\\' or len(last) + 3 > LINE_LENGTH:
            return False
    rest = [line for line in lines[1:] if line and line != pad]
    if not rest or any(line.rstrip() != line for line in rest) or not all(line.startswith(pad) for line in rest):
        return False
    return min(len(line) - len(line.lstrip(" ")) for line in rest) == indent


def exploded_ok(text: str, skel: str, indent: int) -> bool:
    """`head(` / one item per line, each ending in a comma / `)`: a magic trailing comma keeps it
    (for a statement that is neither a block header nor a decorator)."""
    lines = text.split("\n")
    skels = skel.split("\n")
    if len(skels) != len(lines):
        return False  # a string spans lines
    head = skels[0].rstrip()
    if len(lines) < 3 or not head or head[-1] not in _OPENERS:
        return False
    if lines[-1] != " " * indent + _OPENERS[head[-1]] or "#" in lines[-1]:
        return False
    if depth_change(head) != 1 or not line_ok(lines[0], skels[0]) or "#" in lines[0][len(head):]:
        return False
    pad = " " * (indent + 4)
    for line, item_skel in zip(lines[1:-1], skels[1:-1]):
        item = item_skel.rstrip()
        if not line.startswith(pad) or line[len(pad)] == " " or not item.endswith(",") or len(item) != len(line):
            return False
        if depth_change(item) != 0 or not line_ok(line, item[:-1]):
            return False
    before = head[-2] if len(head) > 1 else " "
    call = before.isalnum() or before in "_)]\x00"
    return len(lines) > 3 or (head[-1] == "(" and call) or head[-1] == "{"
