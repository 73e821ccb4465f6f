"""Helpers shared by the extraction rules: table lookup, cell cleaning, flags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, TypeVar

from . import ir
from .diagnostics import Diagnostic, error, quoted
from .reader import Block, Row, Section

CHECK = ":heavy_check_mark:"
MINUS = ":heavy_minus_sign:"
_DEPRECATED = re.compile(r"\*\*\s*DEPRECATED\s*\*\*", re.I)
_CODE_NAME = re.compile(r"^(~~)?\s*`([^`]*)`\s*(~~)?$")
MAX_INT_DIGITS = 4000  # int() refuses longer digit strings (sys.int_info.default_max_str_digits is 4300)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TableView:
    """A table with its header names lower-cased, for lookup of columns by name."""

    block: Block
    columns: tuple[str, ...]

    def column(self, *names: str) -> int:
        """Index of the first header matching one of `names` (lower-case), or -1."""
        for name in names:
            if name in self.columns:
                return self.columns.index(name)
        return -1

    def cell(self, row: Row, index: int) -> str:
        """The raw text of a cell, or "" where the row is short or index is -1."""
        return row.cells[index].text if 0 <= index < len(row.cells) else ""


def tables(section: Section) -> Iterator[TableView]:
    """Tables directly in a section (not in subsections)."""
    for block in section.blocks:
        if block.kind == "table" and block.header is not None:
            columns = tuple(c.text.strip().strip("*").lower() for c in block.header.cells)
            yield TableView(block, columns)


def first_table(section: Optional[Section], *first_columns: str) -> Optional[TableView]:
    """The first table in a section whose first header is one of `first_columns`."""
    if section is None:
        return None
    for view in tables(section):
        if view.columns and view.columns[0] in first_columns:
            return view
    return None


def ragged_rows(view: TableView, file: str) -> list[Diagnostic]:
    """E101 for every row whose raw cell count differs from the header's."""
    header = view.block.header
    assert header is not None
    return [
        error("E101", f"table row has {row.raw_cell_count} cells but the header has {header.raw_cell_count}",
              file, row.line, "each row needs one cell per header column; check for an unescaped `|`")
        for row in view.block.rows
        if row.raw_cell_count != header.raw_cell_count
    ]


def pseudo_tables(section: Section, file: str) -> list[Diagnostic]:
    """E102 for pipe-lines that did not form a table (no header/delimiter row)."""
    return [
        error("E102", "lines that look like a table have no header and delimiter row", file, b.line,
              "a table needs `| Field | Type | ... |` then `| --- | --- | ... |` before its rows")
        for b in section.blocks
        if b.kind == "pseudo_table"
    ]


def code_name(text: str) -> tuple[str, bool]:
    """Name from a `` `name` `` cell (possibly ~~struck~~ = deprecated); returns (name, deprecated)."""
    cleaned = text.strip()
    match = _CODE_NAME.match(cleaned)
    if match:
        return match.group(2).strip(), bool(match.group(1))
    deprecated = cleaned.startswith("~~") and cleaned.endswith("~~")
    return cleaned.strip("~").strip("`").strip(), deprecated


def title_name(text: str) -> tuple[str, bool]:
    """Page title without strike-through; returns (title, deprecated)."""
    cleaned = text.strip()
    deprecated = cleaned.startswith("~~") and cleaned.endswith("~~") and len(cleaned) > 4
    return cleaned.strip("~").strip(), deprecated


def is_deprecated_text(text: str) -> bool:
    """True for Speakeasy's `:warning: **DEPRECATED**` marker (any spacing)."""
    return bool(_DEPRECATED.search(text.replace("** ", "**").replace(" **", "**")))


def description_text(text: str) -> str:
    """A description cell: `N/A` means none; markdown escapes and <br/> are undone."""
    value = text.strip()
    if value in ("N/A", ""):
        return ""
    value = re.sub(r"<br\s*/?>", "\n", value)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", value)


def required_flag(text: str, file: str, line: int) -> tuple[bool, Optional[Diagnostic]]:
    """Parse the Required cell; anything but the two emoji codes is E203."""
    value = text.strip()
    if value == CHECK:
        return True, None
    if value == MINUS:
        return False, None
    return False, error("E203", f"Required cell {quoted(value)} is neither {CHECK} nor {MINUS}", file, line,
                        "use :heavy_check_mark: for required and :heavy_minus_sign: for optional")


def section_text(section: Section) -> str:
    """The paragraphs directly in a section, joined; quotes excluded."""
    return "\n\n".join(b.text.strip() for b in section.blocks if b.kind == "paragraph").strip()


def section_deprecated(section: Section) -> bool:
    """True when a quote or paragraph directly in the section carries the DEPRECATED marker."""
    return any(b.kind in ("quote", "paragraph") and is_deprecated_text(b.text) for b in section.blocks)


def enum_value(text: str) -> int | str:
    """A Value cell's integer when written as Python prints it (`7`, `-5`; not `007`, `-0`, `+1`), else its text."""
    if len(text) <= MAX_INT_DIGITS and re.fullmatch(r"-?[0-9]+", text):
        number = int(text)
        if str(number) == text:
            return number
    return text


def named(name: str, what: str, file: str, line: int, diagnostics: list[Diagnostic]) -> bool:
    """True when `name` is usable; an empty one is E104 (the caller then skips the item)."""
    if name.strip():
        return True
    diagnostics.append(error("E104", f"{what} has an empty name; it was skipped", file, line,
                             "give it a name in the docs"))
    return False


def first_of_each(items: list[T], what: str, name_of: Callable[[T], str], span_of: Callable[[T], ir.Span],
                  diagnostics: list[Diagnostic]) -> list[T]:
    """`items` without repeated names: the first is kept, each repeat is E205 at its own line."""
    seen: dict[str, ir.Span] = {}
    kept = []
    for item in items:
        name, span = name_of(item), span_of(item)
        if name not in seen:
            seen[name] = span
            kept.append(item)
            continue
        diagnostics.append(error("E205", f"{what} {quoted(name)} is defined twice (first at line {seen[name].line}); "
                                         "this one was skipped", span.file, span.line, "remove or rename one of the two"))
    return kept
