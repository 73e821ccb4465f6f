"""Read markdown pages into a small block tree; the only module that imports markdown-it-py
(`reader_fast` reads most pages without it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover - markdown-it is imported when a page is parsed (not for cached pages)
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it breaks lines at \n, \r\n and \r only; str.splitlines() also splits at \x0b,
# \x0c, \x1c-\x1e, \x85, \u2028 and \u2029, which would shift raw lines against token maps.
_NEWLINE = re.compile(r"\r\n?|\n")
_CELL_MARKS = re.compile(r"\\.|[`|]", re.S)


@lru_cache(maxsize=1)
def _parser() -> "MarkdownIt":
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    # The block tree keeps the raw inline text (`Token.content`), which the block pass sets; the
    # inline pass only builds `Token.children`, which nothing reads. Skipping it halves the parse.
    md.core.ruler.disable(["inline", "text_join"])
    return md


def source_lines(text: str) -> list[str]:
    """The lines of `text` as markdown-it numbers them (its `map` line indexes)."""
    return _NEWLINE.split(text)


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its raw inline markdown text."""

    text: str


@dataclass(frozen=True, slots=True)
class Row:
    """A table row with its 1-based source line and the cell count seen in the raw line."""

    cells: tuple[Cell, ...]
    line: int
    raw_cell_count: int


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a page.

    kind: heading | paragraph | quote | code | table | list | pseudo_table.
    `text` holds the raw inline markdown (heading, paragraph, quote), the code (code),
    or the raw lines (pseudo_table: pipe lines that do not form a table).
    `level` is the heading level; `info` the code fence language; `items` the list items
    (raw inline text, line); `header`/`rows` the table.
    """

    kind: str
    line: int
    text: str = ""
    level: int = 0
    info: str = ""
    items: tuple[tuple[str, int], ...] = ()
    header: Optional[Row] = None
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks and subsections below it, up to the next heading of its level."""

    title: str
    level: int
    line: int
    blocks: tuple[Block, ...]
    subsections: tuple["Section", ...]

    def find(self, title: str) -> Optional["Section"]:
        """The first subsection (any depth) whose title matches, case-insensitively."""
        for sub in self.subsections:
            if sub.title.strip().lower() == title.lower():
                return sub
            found = sub.find(title)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class Page:
    """A parsed markdown page: its docs-relative path and its section tree.

    The root section has level 0 and holds the blocks before the first heading.
    """

    path: str
    root: Section


def count_raw_cells(line: str) -> int:
    """Count the cells of a raw `| a | b |` table line, honouring backslash escapes and code spans."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    count, in_code = 1, False
    # Visit only the characters that matter (an escape with the character it escapes, a
    # backtick, a pipe) rather than every character: rows are long, the marks few.
    for mark in _CELL_MARKS.findall(text):
        if mark == "`":
            in_code = not in_code
        elif mark == "|" and not in_code:
            count += 1
    return count


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _table(tokens: list[Token], start: int, lines: list[str]) -> tuple[Block, int]:
    """Collect a table starting at `table_open`; return the block and the index after it."""
    header: Optional[Row] = None
    rows: list[Row] = []
    cells: list[Cell] = []
    row_line, in_head = 0, False
    i = start + 1
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "tbody_open":
            in_head = False
        elif tok.type == "tr_open":
            cells, row_line = [], _line(tok)
        elif tok.type == "inline":
            cells.append(Cell(tok.content.strip()))
        elif tok.type == "tr_close":
            raw = lines[row_line - 1] if 0 < row_line <= len(lines) else ""
            row = Row(tuple(cells), row_line, count_raw_cells(raw))
            if in_head:
                header = row
            else:
                rows.append(row)
        i += 1
    return Block("table", _line(tokens[start]), header=header, rows=tuple(rows)), i + 1


def _list(tokens: list[Token], start: int) -> tuple[Block, int]:
    """Collect a bullet/ordered list's top-level item texts; nested lists are flattened."""
    items: list[tuple[str, int]] = []
    depth, i = 0, start
    close = tokens[start].type.replace("_open", "_close")
    while True:
        tok = tokens[i]
        if tok.type == tokens[start].type:
            depth += 1
        elif tok.type == close:
            depth -= 1
            if depth == 0:
                break
        elif tok.type == "inline":
            items.append((tok.content, _line(tok)))
        i += 1
    return Block("list", _line(tokens[start]), items=tuple(items)), i + 1


def paragraph_block(text: str, line: int, in_quote: bool) -> Block:
    """A paragraph's block: a quote, pipe lines that form no table, or a plain paragraph."""
    lines = [ln.strip() for ln in source_lines(text) if ln.strip()]
    if lines and not in_quote and all(ln.startswith("|") for ln in lines):
        return Block("pseudo_table", line, text=text)
    return Block("quote" if in_quote else "paragraph", line, text=text)


def parse_blocks(text: str) -> list[Block]:
    """Turn markdown text into a flat list of blocks in source order (the plain markdown most
    pages are made of is read by `reader_fast`, the same blocks several times faster)."""
    from .reader_fast import fast_blocks

    fast = fast_blocks(text)
    return fast if fast is not None else markdown_blocks(text)


def markdown_blocks(text: str) -> list[Block]:
    """`parse_blocks` by markdown-it-py, for any page."""
    tokens = _parser().parse(text)
    lines = source_lines(text)
    blocks: list[Block] = []
    quote_depth, i = 0, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "table_open":
            block, i = _table(tokens, i, lines)
            blocks.append(block)
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open") and quote_depth == 0:
            block, i = _list(tokens, i)
            blocks.append(block)
            continue
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            blocks.append(Block("heading", _line(tok), text=inline.content, level=int(tok.tag[1:])))
            i += 3
            continue
        if tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type in ("fence", "code_block"):
            blocks.append(Block("code", _line(tok), text=tok.content, info=tok.info.strip()))
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            blocks.append(paragraph_block(tok.content, _line(tok), quote_depth > 0))
        i += 1
    return blocks


def build_sections(blocks: list[Block]) -> Section:
    """Nest blocks under their headings; the root section has level 0."""
    stack: list[tuple[str, int, int, list[Block], list[Section]]] = [("", 0, 0, [], [])]

    def close_top() -> None:
        title, level, line, body, subs = stack.pop()
        stack[-1][4].append(Section(title, level, line, tuple(body), tuple(subs)))

    for block in blocks:
        if block.kind == "heading":
            while len(stack) > 1 and stack[-1][1] >= block.level:
                close_top()
            stack.append((block.text.strip(), block.level, block.line, [], []))
        else:
            stack[-1][3].append(block)
    while len(stack) > 1:
        close_top()
    title, level, line, body, subs = stack[0]
    return Section(title, level, line, tuple(body), tuple(subs))


def read_page(path: str, text: str) -> Page:
    """Parse one page's text; `path` is the docs-relative path used in diagnostics."""
    return Page(path=path, root=build_sections(parse_blocks(text)))
