"""A fast block reader for the plain markdown that SDK docs pages are made of.

markdown-it-py's block pass costs most of the time spent reading docs (its table rule splits
cells character by character). The pages themselves use a small part of CommonMark: ATX
headings, paragraphs, GFM tables, fenced code, list items of one line (or continued by
unindented lines), one-line quotes, autolinks and HTML comments. This module reads exactly
that part, line by line, and gives the same blocks as `reader` does with markdown-it; a page
holding anything else (indentation outside code, tabs, longer quotes, setext headings, rules,
HTML, reference definitions, ...) makes it give up (None), and the page is read by
markdown-it. Tests compare both readers on every page of every corpus and on drawn pages, and
the fuzz harness on every fuzzed page.
"""

from __future__ import annotations

import re
from typing import Optional

from .reader import Block, Cell, Row, count_raw_cells, paragraph_block

# markdown-it's mdTrim set (common.utils.MD_TRIM_CHARS; a test checks they agree)
TRIM = "".join(chr(c) for c in sorted({0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000,
                                         0x2028, 0x2029, *range(0x2000, 0x200B)}))
_MAX_AUTOCOMPLETED_CELLS = 0x10000  # markdown-it's table rule stops a table past this many
_HEADING = re.compile(r"(#{1,6}) (.*)")
_BULLET = re.compile(r"([*+-]) (?=\S)")
_ORDERED = re.compile(r"\d{1,9}([.)]) (?=\S)")
_ORDERED_ANY = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")  # an item, perhaps an empty one
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_DELIMITER = re.compile(r"[-:|][-:| \t]*")
_ALIGN = re.compile(r":?-+:?")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*")
_ODD_SPACE = re.compile(f"[{re.escape(TRIM.replace(' ', '').replace(chr(10), '').replace(chr(9), ''))}]")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_REFERENCE = "]:"
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*>")
# First characters of a line that may start some block other than a paragraph (or continue one
# in a way this reader does not follow): such lines are read by markdown-it.
_RISKY_START = frozenset(" \t>#<=-+*_`~|")


class _GiveUp(Exception):
    """The page holds something this reader does not read."""


def _mdtrim(text: str) -> str:
    return text.strip(TRIM)


def _blank(line: str) -> bool:
    return not line.strip(" ")


def _plain_start(line: str) -> bool:
    """A line that can only start (or continue) a paragraph (`**bold**` too: no list item, no rule)."""
    if not line:
        return False
    if line[0] == "<":  # an autolink (`<https://...>`): its scheme's colon makes it no HTML tag
        return _AUTOLINK.match(line) is not None
    if line[0] in _RISKY_START:
        return line[0] == "*" and len(line) > 1 and line[1] not in " \t" and not _RULE.fullmatch(line)
    return not (line[0].isdigit() and _ORDERED_ANY.match(line))


def _cells(line: str) -> list[str]:
    """markdown-it's escapedSplit of a trimmed table line, leading and trailing empty cells dropped
    (`\\|` is a pipe in a cell: the backslash before it goes, whatever precedes it)."""
    text = _mdtrim(line)
    if "\\" in text:
        parts = [part.replace("\\|", "|") for part in _UNESCAPED_PIPE.split(text)]
    else:
        parts = text.split("|")
    if parts and parts[0] == "":
        parts.pop(0)
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def _aligns(line: str) -> Optional[int]:
    """The column count of a table delimiter row (None: it is none)."""
    if not _DELIMITER.fullmatch(line) or (line[0] == "-" and len(line) > 1 and line[1] in " \t") or len(line) < 2:
        return None
    columns = line.split("|")
    count = 0
    for index, column in enumerate(columns):
        cell = _mdtrim(column)
        if not cell:
            if index in (0, len(columns) - 1):
                continue
            return None
        if not _ALIGN.fullmatch(cell):
            return None
        count += 1
    return count


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: list[Block] = []

    def line(self, index: int) -> str:
        text = self.lines[index]
        if "\t" in text or text.startswith(" ") and not _blank(text):
            raise _GiveUp
        return text

    def run(self) -> list[Block]:
        i, count = 0, len(self.lines)
        while i < count:
            text = self.line(i)
            if _blank(text):
                i += 1
            elif "|" in text and i + 1 < count and _DELIMITER.fullmatch(self.lines[i + 1]):
                i = self.table(i)
            elif text.startswith("#"):
                i = self.heading(i)
            elif text.startswith(("```", "~~~")):
                i = self.fence(i)
            elif text.startswith("> "):
                i = self.quote(i)
            elif text.startswith("<!--"):
                i = self.comment(i)
            elif _BULLET.match(text) or _ORDERED.match(text):
                i = self.items(i)
            else:
                i = self.paragraph(i)
        return self.blocks

    def heading(self, i: int) -> int:
        found = _HEADING.fullmatch(self.lines[i])
        if found is None or found.group(2).rstrip(" ").endswith("#"):
            raise _GiveUp
        self.blocks.append(Block("heading", i + 1, text=_mdtrim(found.group(2)), level=len(found.group(1))))
        return i + 1

    def fence(self, i: int) -> int:
        found = _FENCE.fullmatch(self.lines[i])
        if found is None:
            raise _GiveUp
        marker, info = found.groups()
        if marker[0] == "`" and "`" in info:
            raise _GiveUp  # not a fence: an inline code span
        for end in range(i + 1, len(self.lines)):
            line = self.lines[end]
            body = line.lstrip(" \t")
            if not body.startswith(marker[0]):
                continue
            if "\t" in line[: len(line) - len(body)]:
                raise _GiveUp  # a tab before a possible closing fence: columns matter
            if len(line) - len(body) < 4 and len(body) - len(body.lstrip(marker[0])) >= len(marker) \
                    and not body.lstrip(marker[0]).strip(" \t"):
                code = "".join(f"{text}\n" for text in self.lines[i + 1: end])
                self.blocks.append(Block("code", i + 1, text=code, info=info.strip()))
                return end + 1
        raise _GiveUp  # an unclosed fence runs to the end of the page: leave that to markdown-it

    def quote(self, i: int) -> int:
        """A quote of one line (`> text`) with a blank line or the page's end after it."""
        content = self.lines[i][2:]
        if not _plain_start(content) or _item_marker(content) or _REFERENCE in content:
            raise _GiveUp
        if i + 1 < len(self.lines) and not _blank(self.line(i + 1)):
            raise _GiveUp  # a longer quote, or a lazy continuation line
        self.blocks.append(paragraph_block(_mdtrim(content), i + 1, True))
        return i + 1

    def comment(self, i: int) -> int:
        for end in range(i, len(self.lines)):
            if "-->" in self.lines[end]:
                return end + 1
        raise _GiveUp

    def paragraph(self, i: int) -> int:
        first = self.lines[i]
        if not _plain_start(first):
            raise _GiveUp
        end = i + 1
        while end < len(self.lines):
            text = self.line(end)
            if _blank(text) or _item_marker(text) in ("*", "-", "+") or _is_heading(text):
                break  # a heading or a bullet item (never an empty one here) ends a paragraph
            if not _plain_start(text):
                raise _GiveUp
            if "|" in text and end + 1 < len(self.lines) and _DELIMITER.fullmatch(self.lines[end + 1].lstrip(" ")):
                raise _GiveUp  # a table may interrupt the paragraph
            end += 1
        lines = self.lines[i:end]
        if first.startswith("[") and any(_REFERENCE in line for line in lines):
            raise _GiveUp  # perhaps a link reference definition
        if any(not _mdtrim(line) for line in lines):
            raise _GiveUp
        self.blocks.append(paragraph_block(_mdtrim("\n".join(lines)), i + 1, False))
        return end

    def items(self, i: int) -> int:
        """A list of one-line items with one marker, blank lines allowed between them."""
        marker = _item_marker(self.lines[i])
        items: list[tuple[str, int]] = []
        end = i
        while True:
            content = self.lines[end][len(_item_prefix(self.lines[end])):]
            if "|" in content or not _plain_start(content) or not _mdtrim(content) or _REFERENCE in content:
                raise _GiveUp
            lazy = self.lazy_lines(end + 1)
            items.append((_mdtrim("\n".join([content, *self.lines[end + 1: lazy]])), end + 1))
            end = lazy - 1
            after = end + 1
            while after < len(self.lines) and _blank(self.line(after)):
                after += 1
            if after >= len(self.lines):
                break
            following = self.line(after)
            if _item_marker(following) == marker:
                end = after
                continue
            if after == end + 1 and not (_is_heading(following) or following.startswith("<!--")):
                raise _GiveUp  # a lazy continuation line or another list right below
            break
        self.blocks.append(Block("list", i + 1, items=tuple(items)))
        return end + 1

    def lazy_lines(self, i: int) -> int:
        """The end of the plain lines from `i` on that continue an item's text without indentation."""
        while i < len(self.lines):
            text = self.line(i)
            if _blank(text) or _item_marker(text) or _is_heading(text) or text.startswith("<!--"):
                return i
            if not _plain_start(text) or "|" in text or _REFERENCE in text:
                raise _GiveUp
            i += 1
        return i

    def table(self, i: int) -> int:
        header_line = self.lines[i]
        columns = _aligns(self.lines[i + 1])
        header = _cells(header_line)
        if columns is None or columns != len(header) or not columns:
            raise _GiveUp
        rows: list[Row] = []
        end, autocompleted = i + 2, 0
        while end < len(self.lines):
            text = self.line(end)
            if _blank(text):
                break
            if text[0] in _RISKY_START and text[0] != "|" or text[0].isdigit():
                raise _GiveUp  # perhaps a block that ends the table
            cells = _cells(text)
            if not _mdtrim(text):
                raise _GiveUp
            autocompleted += columns - len(cells)
            if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
                raise _GiveUp
            padded = [_mdtrim(c) for c in cells[:columns]] + [""] * (columns - len(cells))
            rows.append(Row(tuple(Cell(c.strip()) for c in padded), end + 1, count_raw_cells(text)))
            end += 1
        head = Row(tuple(Cell(_mdtrim(c).strip()) for c in header), i + 1, count_raw_cells(header_line))
        self.blocks.append(Block("table", i + 1, header=head, rows=tuple(rows)))
        return end


def _is_heading(line: str) -> bool:
    """An ATX heading this reader reads (see `_Reader.heading`)."""
    found = _HEADING.fullmatch(line) if line.startswith("#") else None
    return found is not None and not found.group(2).rstrip(" ").endswith("#")


def _item_prefix(line: str) -> str:
    found = _BULLET.match(line) or _ORDERED.match(line)
    return found.group() if found else ""


def _item_marker(line: str) -> str:
    """`*`, `-` or `+` for a bullet item, `.` or `)` for an ordered one, "" for no item."""
    if _RULE.fullmatch(line):
        return ""
    found = _BULLET.match(line) or _ORDERED.match(line)
    return found.group(1) if found else ""


def fast_blocks(text: str) -> Optional[list[Block]]:
    """The blocks of a page as `reader.parse_blocks` gives them, or None when the page holds
    markdown this reader leaves to markdown-it."""
    if "\r" in text or "\0" in text or _ODD_SPACE.search(text):
        return None
    try:
        return _Reader(text.split("\n")).run()
    except _GiveUp:
        return None
