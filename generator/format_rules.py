"""The trust rules of statement-level formatting: string predicates that are true only of
source text black leaves exactly as it is (see format_lines for how they are used).

Each rule is conservative: false means "let black decide", never "black would change it".
"""

from __future__ import annotations

import re

LINE_LENGTH = 88
_STRING_TOKENS = (r'(?P<s3>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\')'
                  r'|(?P<s1>"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')|(?P<com>#[^\n]*)')
TOKENS = re.compile(_STRING_TOKENS + r"|(?P<op>[(\[{])|(?P<cl>[)\]}])|(?P<bs>\\\n)|(?P<nl>\n)", re.S)
SCAN_TOKENS = re.compile(_STRING_TOKENS + r"|(?P<bs>\\\n)|(?P<nl>\n)", re.S)  # brackets are counted between
STRINGS = re.compile(_STRING_TOKENS, re.S)  # literals, and comments (a quote in one starts no string)
_NUMBER = re.compile(r"(?<![\w.\x00])(?:\d[\w.]*|\.\d\w*)")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MAGIC_COMMA = re.compile(r",\s*[)\]}]")
_POWER = re.compile(r"([\w)\]\x00])(\s*)\*\*(\s*)")  # a binary power (not `**kwargs`)
_OPERAND = re.compile(r"[A-Za-z_\d][\w.]*")
_RUN = re.compile(r"\x00+")
_BAD_SPACING = re.compile(r",(?=[^\s)\]}])|[(\[{] | [,)\]}]| :(?!=)")
_PREFIX = re.compile(r"[A-Za-z_]\w*$")
_REWRITTEN_CHARS = re.compile(r"[;\\\t\f]")  # a statement holding one is left to black
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)", re.S)
_ONE_TUPLE_BEFORE = re.compile(r"(?:^|[(\[{,=:]|\b(?:return|in|else|if|or|and|not|is))\s*$")
_GOOD_PREFIXES = frozenset({"", "f", "r", "b", "rb", "rf"})
_HEX_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{)")


def width_ok(text: str) -> bool:
    """Certainly within black's line length (a character is at most 2 columns wide)."""
    return len(text) <= LINE_LENGTH if text.isascii() else 2 * len(text) <= LINE_LENGTH


def _string_ok(text: str, prefix: str) -> bool:
    """A one-line literal black leaves alone: plain prefix, double quotes (single ones only around
    a double quote), and escapes that neither quote normalization nor lower-casing of hex
    escapes would touch."""
    if prefix not in _GOOD_PREFIXES or len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return False
    if text[:3] in ("'''", '"""'):
        return False  # triple quotes: only docstrings are trusted (docstring_ok)
    body = text[1:-1]
    if text[0] == "'":  # kept by black only when double quotes would need escapes
        if "f" in prefix or '"' not in body or '\\"' in body or "\\'" in body:
            return False
    elif '"' in _ESCAPE.sub("", body):
        return False
    if "\n" in body:
        return False
    if "\\" not in body or "r" in prefix:
        return True  # raw: black changes neither the quotes nor the escapes
    if "f" in prefix:
        return False
    for escape in _ESCAPE.finditer(body):
        code = escape.group()
        if code[1] in "\"'N" or code[2:] != code[2:].lower():
            return False
    return True


def strings_ok(line: str, skel: str) -> bool:
    """Each string literal is one black leaves alone (see `_string_ok`)."""
    for run in _RUN.finditer(skel):
        prefix = _PREFIX.search(skel, 0, run.start())
        if not _string_ok(line[run.start():run.end()], prefix.group() if prefix else ""):
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


def _powers_ok(skel: str) -> bool:
    """Every binary `**` is hugged between simple operands (names, attribute chains, numbers),
    as black writes it; other powers are left to black."""
    for match in _POWER.finditer(skel):
        if match.group(2) or match.group(3) or match.group(1) in ")]\x00":
            return False
        left = re.search(r"[\w.]+$", skel[: match.start(1) + 1])
        right = _OPERAND.match(skel, match.end())
        if left is None or right is None or not _OPERAND.fullmatch(left.group()):
            return False
        before, after = skel[left.start() - 1: left.start()], skel[right.end(): right.end() + 2]
        if before and before in "*-+~)]\x00" or after[:1] in ("(", "[") or after == "**":
            return False
    return True


def syntax_ok(skel: str) -> bool:
    """No construct black rewrites even on a short line (and none of the usual spacing slips)."""
    if _REWRITTEN_CHARS.search(skel) or magic_comma(skel) or not _powers_ok(skel):
        return False
    if "  " in skel.strip() or _BAD_SPACING.search(skel):
        return False
    return all(_PLAIN_NUMBER.fullmatch(m.group()) for m in _NUMBER.finditer(skel))


def _opening(skel: str, close: int) -> int:
    """Index of the bracket that the bracket at `close` closes (-1 when there is none)."""
    depth = 0
    for index in range(close, -1, -1):
        if skel[index] in ")]}":
            depth += 1
        elif skel[index] in "([{":
            depth -= 1
            if depth == 0:
                return index
    return -1


def magic_comma(skel: str) -> bool:
    """A trailing comma black treats as magic: any but the one of a one-tuple `(x,)`."""
    for match in _MAGIC_COMMA.finditer(skel):
        close = match.end() - 1
        opening = _opening(skel, close)
        if skel[close] != ")" or close != match.start() + 1 or opening < 0:
            return True
        inner = skel[opening + 1: match.start()]
        if "," in flatten(inner) or not _ONE_TUPLE_BEFORE.search(skel, 0, opening):
            return True
    return False


_BRACKET = re.compile(r"[()\[\]{}]")


def flatten(skel: str) -> str:
    """The skeleton with the contents of every bracket pair removed (`f(a)[b]` -> `f()[]`); the
    text between brackets is copied whole (only brackets are visited)."""
    out, depth, last = [], 0, 0
    for match in _BRACKET.finditer(skel):
        index = match.start()
        if depth == 0:
            out.append(skel[last:index])
        ch = skel[index]
        if ch in ")]}":
            depth -= 1
        if depth == 0:
            out.append(ch)
        if ch in "([{":
            depth += 1
        last = index + 1
    if depth == 0:
        out.append(skel[last:])
    return "".join(out)


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
