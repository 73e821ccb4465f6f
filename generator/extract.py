"""Extraction: page kind detection and per-page IR fragments (models, enums, unions).

Rules are a named, ordered list of small functions with one signature
(`rule(page, ctx) -> PageFacts | None`); the first that recognises a page wins.
Group, README and union pages have their own modules (`extract_groups`, `extract_readme`,
`extract_unions`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Optional

from . import ir
from .diagnostics import Diagnostic, error, note, quoted, warning
from .dialects import get_dialect
from .dialects.base import ParsedType
from .reader import Page, Row, Section
from .tables import (
    TableView, code_name, description_text, enum_value, first_of_each, first_table, is_deprecated_text, named,
    pseudo_tables, ragged_rows, required_flag, section_deprecated, section_text, title_name,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# `name: Type = /* values here */` in a union variant's code block; matched per line (see
# `_union_code_type`) so a block full of ':' or spaces is scanned in linear time.
_MEMO_LIMIT = 1024  # characters: real Type cells are short; long (hostile) ones are not kept


@dataclass(frozen=True, slots=True)
class LinkUse:
    """A link target seen in a type cell, for resolve to check."""

    target: str
    span: ir.Span


@dataclass(frozen=True, slots=True)
class ExtractContext:
    """What a rule needs to know about the page besides its content."""

    file: str
    dialect: str
    namespace: str
    is_readme: bool = False


@dataclass(frozen=True, slots=True)
class PageFacts:
    """Everything one page contributed."""

    file: str
    kind: str
    dialect: str
    models: tuple[ir.Model, ...] = ()
    enums: tuple[ir.Enum, ...] = ()
    unions: tuple[ir.Union, ...] = ()
    groups: tuple[ir.Group, ...] = ()
    api: Optional[ir.Api] = None
    group_titles: tuple[tuple[str, str], ...] = ()
    links: tuple[LinkUse, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(slots=True)
class _Acc:
    """Mutable accumulator used while reading one page; frozen into PageFacts at the end."""

    links: list[LinkUse] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def page_title(page: Page) -> Optional[Section]:
    """The page's H1 section, if any."""
    for sub in page.root.subsections:
        if sub.level == 1:
            return sub
    return None


def parse_type_cell(text: str, ctx: ExtractContext, line: int, acc: _Acc) -> ParsedType:
    """Parse a Type cell with the page's dialect, recording links and diagnostics."""
    short = len(text) <= _MEMO_LIMIT
    parsed = _parse_type(ctx.dialect, text) if short else get_dialect(ctx.dialect).parse_type(text)
    span = ir.Span(ctx.file, line)
    acc.links.extend(LinkUse(t, span) for t in parsed.links)
    for target in parsed.placeholder_links:
        acc.diagnostics.append(warning("W102", f"placeholder link {quoted(target)} in type {quoted(text)}; the link text was used",
                                       ctx.file, line, "the docs generator emitted no page for this type"))
    if parsed.error:
        acc.diagnostics.append(_type_error(text, parsed.error, ctx, line))
    return replace(parsed, type=_union_page_ref(parsed.type, parsed.links))


@lru_cache(maxsize=4096)
def _parse_type(dialect: str, text: str) -> ParsedType:
    """A Type cell parsed by a dialect, memoised: the same cells recur on many pages (a quarter
    are distinct on airbyte-python) and the result is immutable."""
    return get_dialect(dialect).parse_type(text)


def _union_page_ref(t: ir.TypeRef, links: tuple[str, ...]) -> ir.TypeRef:
    """`[Union[A, B]](../../models/shared/ab.md)` names the union page `ab`: refer to it.

    Only done where the cell has exactly one page link, so the target is unambiguous;
    lists and maps of such a union are handled too.
    """
    pages = [target for target in links if target.endswith(".md") and not target.endswith("/.md")]
    if len(pages) != 1:
        return t
    if t.kind == "union":
        stem = posixpath.splitext(posixpath.basename(pages[0]))[0]
        match = re.search(r"/models/(?P<ns>[^/]+)/", pages[0])
        return ir.ref(stem, match.group("ns") if match else "")
    if t.kind == "list" and t.items is not None:
        return replace(t, items=_union_page_ref(t.items, links))
    if t.kind == "map" and t.values is not None:
        return replace(t, values=_union_page_ref(t.values, links))
    return t


def _type_error(text: str, message: str, ctx: ExtractContext, line: int) -> Diagnostic:
    return error("E103", f"unknown {ctx.dialect} type syntax {quoted(text)}: {message}", ctx.file, line,
                 "the type was kept as `any`; report the syntax if it is valid for this dialect")


def correct_date_kind(parsed: ParsedType, example: str, ctx: ExtractContext, line: int, acc: _Acc) -> ir.TypeRef:
    """Decide date vs datetime from the Example column where it shows one."""
    kind = parsed.type.kind
    if kind not in ("date", "datetime"):
        return parsed.type
    value = example.strip().strip("`")
    truth = "date" if _DATE.match(value) else "datetime" if _DATETIME.match(value) else kind
    if truth != kind:
        acc.diagnostics.append(note("N102", f"type labelled as {kind} but the example {quoted(value)} is a {truth}; using {truth}",
                                    ctx.file, line, "the Example column decides between date and datetime"))
    return ir.prim(truth)


def _field_row(view: TableView, row: Row, ctx: ExtractContext, acc: _Acc) -> Optional[ir.Field]:
    """One Fields-table row -> Field (None when the name cell is empty)."""
    name, struck = code_name(view.cell(row, 0))
    if not name:
        return None
    parsed = parse_type_cell(view.cell(row, view.column("type")), ctx, row.line, acc)
    req_col = view.column("required")
    required = False
    if req_col >= 0:
        required, diag = required_flag(view.cell(row, req_col), ctx.file, row.line)
        if diag:
            acc.diagnostics.append(diag)
    raw_description = view.cell(row, view.column("description"))
    example = description_text(view.cell(row, view.column("example"))).strip("`")
    return ir.Field(
        name=name, type=correct_date_kind(parsed, example, ctx, row.line, acc), required=required,
        source=ir.Span(ctx.file, row.line), nullable=required and parsed.optional,
        description=description_text(raw_description), example=example,
        deprecated=struck or is_deprecated_text(raw_description),
    )


def fields_from_table(view: TableView, ctx: ExtractContext, acc: _Acc) -> tuple[ir.Field, ...]:
    """All fields of a Fields table, in document order; a repeated name is E205."""
    acc.diagnostics.extend(ragged_rows(view, ctx.file))
    fields = [f for f in (_field_row(view, row, ctx, acc) for row in view.block.rows) if f is not None]
    return tuple(first_of_each(fields, "field", lambda f: f.name, lambda f: f.source, acc.diagnostics))


def _freeze(ctx: ExtractContext, kind: str, acc: _Acc, **parts: object) -> PageFacts:
    return PageFacts(file=ctx.file, kind=kind, dialect=ctx.dialect, links=tuple(acc.links),
                     diagnostics=tuple(acc.diagnostics), **parts)  # type: ignore[arg-type]


_NAMELESS = ir.Model(name="", namespace="", fields=(), source=ir.Span("", 0))  # found, but skipped (E104)


def _model_from_section(title: str, section: Section, fields_sec: Section, ctx: ExtractContext, acc: _Acc) -> Optional[ir.Model]:
    """The model of a section with a Fields table; None without one; _NAMELESS when its title is empty."""
    view = first_table(fields_sec, "field", "name")
    acc.diagnostics.extend(pseudo_tables(fields_sec, ctx.file))
    if view is None or view.column("type") < 0:
        return None
    name, struck = title_name(title)
    if not named(name, "model", ctx.file, section.line, acc.diagnostics):
        return _NAMELESS
    return ir.Model(name=name, namespace=ctx.namespace, fields=fields_from_table(view, ctx, acc),
                    source=ir.Span(ctx.file, section.line), description=section_text(section),
                    deprecated=struck or section_deprecated(section))


def rule_object(page: Page, ctx: ExtractContext) -> Optional[PageFacts]:
    """`# Name` + `## Fields` table (Field | Type | Required | Description [| Example]).

    Extra `## Other` sections holding their own `### Fields` table (utils pages) are
    further models on the same page.
    """
    h1 = page_title(page)
    fields_sec = h1.find("Fields") if h1 else None
    if h1 is None or fields_sec is None or fields_sec.level != 2:
        return None
    acc = _Acc()
    models = []
    main = _model_from_section(h1.title, h1, fields_sec, ctx, acc)
    if main is None:
        acc.diagnostics.append(_no_header(ctx, fields_sec))
        return _freeze(ctx, "object", acc)
    models.append(main)
    for sub in h1.subsections:
        inner = sub.find("Fields") if sub is not fields_sec else None
        if inner is not None:
            extra = _model_from_section(sub.title, sub, inner, ctx, acc)
            if extra is not None:
                models.append(extra)
    return _freeze(ctx, "object", acc, models=tuple(m for m in models if m is not _NAMELESS))


def _no_header(ctx: ExtractContext, section: Section) -> Diagnostic:
    return error("E102", "the Fields section has no table with a `Field | Type | ...` header", ctx.file, section.line,
                 "a Fields table needs the header `| Field | Type | Required | Description |` and a delimiter row")


def _members(view: TableView, ctx: ExtractContext, acc: _Acc) -> tuple[str, list[ir.EnumMember]]:
    """The members of a Values table and the enum's value type (integer when every value is one)."""
    members, texts = [], []
    for row in view.block.rows:
        name, struck = code_name(view.cell(row, 0))
        if not named(name, "enum member", ctx.file, row.line, acc.diagnostics):
            continue
        text = description_text(view.cell(row, view.column("value")))
        members.append(ir.EnumMember(name=name, value=enum_value(text), source=ir.Span(ctx.file, row.line),
                                     deprecated=struck))
        texts.append(text)
    if members and all(isinstance(m.value, int) for m in members):
        return "integer", members
    # A string enum keeps every cell as written (`1` next to `a` stays "1").
    return "string", [replace(m, value=text) for m, text in zip(members, texts)]


def rule_enum(page: Page, ctx: ExtractContext) -> Optional[PageFacts]:
    """`# Name` + `## Values` table (Name | Value); integer when every value is an integer."""
    h1 = page_title(page)
    values_sec = h1.find("Values") if h1 else None
    if h1 is None or values_sec is None:
        return None
    acc = _Acc()
    view = first_table(values_sec, "name")
    acc.diagnostics.extend(pseudo_tables(values_sec, ctx.file))
    if view is None:
        acc.diagnostics.append(_no_header(ctx, values_sec))
        return _freeze(ctx, "enum", acc)
    acc.diagnostics.extend(ragged_rows(view, ctx.file))
    value_type, members = _members(view, ctx, acc)
    members = first_of_each(members, "enum member", lambda m: m.name, lambda m: m.source, acc.diagnostics)
    name, struck = title_name(h1.title)
    if not named(name, "enum", ctx.file, h1.line, acc.diagnostics):
        return _freeze(ctx, "enum", acc)
    enum = ir.Enum(name=name, namespace=ctx.namespace, value_type=value_type, members=tuple(members),
                   source=ir.Span(ctx.file, h1.line), description=section_text(h1),
                   deprecated=struck or section_deprecated(h1))
    return _freeze(ctx, "enum", acc, enums=(enum,))


Rule = Callable[[Page, ExtractContext], Optional[PageFacts]]


def rules() -> tuple[tuple[str, Rule], ...]:
    """The ordered rule chain; README and group rules live in their own modules."""
    from .extract_groups import rule_group
    from .extract_readme import rule_readme
    from .extract_unions import rule_union
    return (
        ("readme", rule_readme),
        ("union", rule_union),
        ("enum", rule_enum),
        ("object", rule_object),
        ("group", rule_group),
    )


def extract_page(page: Page, ctx: ExtractContext) -> PageFacts:
    """Run the rule chain on one page; an unrecognised page is skipped with W101."""
    for _name, rule in rules():
        facts = rule(page, ctx)
        if facts is not None:
            return facts
    if "/types/" in f"/{ctx.file}":  # Speakeasy documents its helper types (RFCDate, Date) here
        return PageFacts(file=ctx.file, kind="skipped", dialect=ctx.dialect, diagnostics=(
            note("N104", "page documents an SDK helper type, not an API type; skipped", ctx.file, 1,
                 "the IR has its own date and datetime kinds"),))
    diag = warning("W101", "page is not a model, enum, union, group or README page; skipped", ctx.file, 1,
                   "model pages need a `## Fields` table, enums `## Values`, unions `## Supported Types`")
    return PageFacts(file=ctx.file, kind="skipped", dialect=ctx.dialect, diagnostics=(diag,))
