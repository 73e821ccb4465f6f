"""Extraction rules for resource-group pages (`docs/sdks/<group>/README.md`, `docs/<group>/README.md`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from . import ir
from .examples import CallFacts, read_python_example
from .extract_readme import example_names
from .extract import ExtractContext, PageFacts, _Acc, _freeze, page_title, parse_type_cell
from .diagnostics import note, warning
from .reader import Page, Section
from .tables import (
    code_name, description_text, first_of_each, first_table, named, is_deprecated_text, ragged_rows, required_flag,
    section_deprecated, section_text, title_name,
)

_MARKER = re.compile(r"^\(\*([\w.]+)\*\)$")
_ITEM = re.compile(r"^\[(?P<name>[^\]]+)\]\(#[^)]*\)\s*(?:-\s*(?P<summary>.*))?$", re.S)
# `sdk.group.op(`, `s.Group.Op(ctx`, `$sdk->group->op(` in non-Python examples. The path is
# bounded: an unbounded `(?:\w+\.)*` backtracks quadratically over `s.s.s.s...` without `(`.
_CALL = re.compile(r"\b(?:sdk|s|\$sdk)(?:\.|->)(?P<path>(?:\w+(?:\.|->)){0,8})(?P<op>\w+)\(")
_PLUMBING_PARAMS = {"config", "ctx", "opts"}
_LITERALS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
             "dict": "any", "list": "any", "bytes": "bytes"}


def _available_operations(h1: Section) -> dict[str, str]:
    """Operation name -> summary, from the `Available Operations` bullet list."""
    listing = h1.find("Available Operations")
    found: dict[str, str] = {}
    for block in listing.blocks if listing else ():
        for text, _line in block.items:
            match = _ITEM.match(text.strip())
            if match:
                name, _ = code_name(match.group("name"))
                found[name] = " ".join((match.group("summary") or "").split())
    return found


def _calls(section: Section, ctx: ExtractContext, acc: _Acc) -> list[CallFacts]:
    """Operation calls in the section's example code (Python via ast, others via a regex)."""
    calls: list[CallFacts] = []
    usage = section.find("Example Usage")
    for block in usage.blocks if usage else ():
        if block.kind != "code":
            continue
        if block.info == "python":
            facts = read_python_example(block.text)
            if facts.error:
                acc.diagnostics.append(warning("W104", f"example code does not parse: {facts.error}", ctx.file,
                                               block.line, "facts that only the example states were not read"))
            calls.extend(facts.calls)
        else:
            for m in _CALL.finditer(block.text):
                path = m.group("path").replace("->", ".").strip(".")
                calls.append(CallFacts(group=path, operation=m.group("op")))
    return calls


def _examples(section: Section, ctx: ExtractContext) -> tuple[ir.Example, ...]:
    usage = section.find("Example Usage")
    return tuple(ir.Example(b.info, b.text, ir.Span(ctx.file, b.line))
                 for b in (usage.blocks if usage else ()) if b.kind == "code")


def _parameters(section: Section, ctx: ExtractContext, acc: _Acc) -> tuple[ir.Parameter, ...]:
    view = first_table(section.find("Parameters"), "parameter")
    if view is None:
        return ()
    acc.diagnostics.extend(ragged_rows(view, ctx.file))
    params = []
    for row in view.block.rows:
        name, _ = code_name(view.cell(row, 0))
        name = name.lstrip("$")
        type_text = view.cell(row, view.column("type"))
        if not name or (name in _PLUMBING_PARAMS and "](http" in type_text):
            continue
        parsed = parse_type_cell(type_text, ctx, row.line, acc)
        required, diag = required_flag(view.cell(row, view.column("required")), ctx.file, row.line)
        if diag:
            acc.diagnostics.append(diag)
        params.append(ir.Parameter(name=name, type=parsed.type, required=required, source=ir.Span(ctx.file, row.line),
                                   description=description_text(view.cell(row, view.column("description"))),
                                   example=description_text(view.cell(row, view.column("example")))))
    return tuple(params)


def _response(section: Section, ctx: ExtractContext, acc: _Acc) -> Optional[ir.TypeRef]:
    """`**[operations.XResponse](...)**`, `**Promise<[...](...)>**` or `**[*operations.X](...), error**`."""
    sec = section.find("Response")
    para = next((b for b in sec.blocks if b.kind == "paragraph"), None) if sec else None
    if para is None:
        return None
    text = para.text.strip().strip("*").strip()
    text = re.sub(r",\s*error$", "", text)
    text = re.sub(r"^Promise<(.*)>$", r"\1", text)
    return parse_type_cell(text, ctx, para.line, acc).type


def _errors(section: Section, ctx: ExtractContext, acc: _Acc) -> tuple[ir.ErrorCase, ...]:
    view = first_table(section.find("Errors"), "error object", "error type")
    if view is None:
        return ()
    acc.diagnostics.extend(ragged_rows(view, ctx.file))
    cases = []
    for row in view.block.rows:
        parsed = parse_type_cell(view.cell(row, 0), ctx, row.line, acc)
        cases.append(ir.ErrorCase(type=parsed.type, status=description_text(view.cell(row, view.column("status code"))),
                                  source=ir.Span(ctx.file, row.line),
                                  content_type=description_text(view.cell(row, view.column("content type")))))
    return tuple(cases)


def _request_from_call(call: Optional[CallFacts], ctx: ExtractContext, line: int, acc: _Acc) -> Optional[ir.TypeRef]:
    """The request type an example builds, when no Parameters table states it (2023-05 pages)."""
    if call is None or not (call.request_type or call.request_literal in _LITERALS):
        return None
    acc.diagnostics.append(note("N201", f"request type of {call.operation!r} read from the example code", ctx.file, line,
                                "the page has no Parameters table; configuration cannot override this yet"))
    if call.request_literal:
        return ir.prim(_LITERALS[call.request_literal])
    namespace, _, name = call.request_type.rpartition(".")
    return ir.ref(name, namespace)


def _operation(sec: Section, summary: str, ctx: ExtractContext, acc: _Acc) -> tuple[ir.Operation, list[CallFacts]]:
    name, struck = code_name(title_name(sec.title)[0])
    calls = [c for c in _calls(sec, ctx, acc) if c.operation == name] or _calls(sec, ctx, _Acc())
    params = _parameters(sec, ctx, acc)
    request = next((p.type for p in params if p.name == "request"), None)
    has_table = sec.find("Parameters") is not None
    if request is None and not has_table:
        request = _request_from_call(calls[0] if calls else None, ctx, sec.line, acc)
    response = _response(sec, ctx, acc)
    response_fields: tuple[ir.ResponseField, ...] = ()
    if response is None and calls and calls[0].response_fields:
        acc.diagnostics.append(note("N201", f"response field(s) of {name!r} read from the example code", ctx.file, sec.line,
                                    "the page has no Response section"))
        response_fields = tuple(ir.ResponseField(f, None, ir.Span(ctx.file, sec.line)) for f in calls[0].response_fields)
    description = section_text(sec)
    op = ir.Operation(
        name=name, source=ir.Span(ctx.file, sec.line), summary=summary or description.split("\n")[0],
        description=description, request=request, response=response, response_fields=response_fields,
        parameters=tuple(p for p in params if p.name != "request"), errors=_errors(sec, ctx, acc),
        examples=_examples(sec, ctx), deprecated=struck or section_deprecated(sec) or is_deprecated_text(summary),
    )
    return op, calls


def _group_name(h1: Section, calls: list[CallFacts]) -> str:
    """The SDK attribute path of the group: from example calls, else the `(*name*)` marker, else the title."""
    paths = Counter(c.group for c in calls)
    if paths:
        return paths.most_common(1)[0][0]
    for block in h1.blocks:
        match = _MARKER.match(block.text.strip()) if block.kind == "paragraph" else None
        if match:
            return match.group(1)
    return title_name(h1.title)[0]


def _op_name(sec: Section) -> str:
    """The operation name of a `## name` section (struck-through and code-span marks removed)."""
    return code_name(title_name(sec.title)[0])[0]


def _named_sections(sections: list[Section], ctx: ExtractContext, acc: _Acc) -> list[Section]:
    """Operation sections with a usable, unrepeated name (an empty one is E104, a repeat E205)."""
    usable = [s for s in sections if named(_op_name(s), "operation", ctx.file, s.line, acc.diagnostics)]
    return first_of_each(usable, "operation", _op_name, lambda s: ir.Span(ctx.file, s.line), acc.diagnostics)


def rule_group(page: Page, ctx: ExtractContext) -> Optional[PageFacts]:
    """A group page: `# group`, `## Overview` / `### Available Operations`, one `## op` section each."""
    h1 = page_title(page)
    if h1 is None:
        return None
    listed = _available_operations(h1)
    op_sections = [s for s in h1.subsections if s.title.lower() != "overview" and s.level == 2
                   and (s.find("Example Usage") or s.find("Parameters") or s.find("Response"))]
    if not listed and not op_sections and h1.find("Available Operations") is None:
        return None
    acc = _Acc()
    operations: list[ir.Operation] = []
    all_calls: list[CallFacts] = []
    for sec in _named_sections(op_sections, ctx, acc):
        op, calls = _operation(sec, listed.get(_op_name(sec), ""), ctx, acc)
        operations.append(op)
        all_calls.extend(c for c in calls if c.operation == op.name)
    documented = {o.name for o in operations}
    for missing in sorted(set(listed) - documented):
        acc.diagnostics.append(warning("W203", f"operation {missing!r} is listed but has no section", ctx.file, h1.line,
                                       "add a `## name` section, or remove it from Available Operations"))
    overview = h1.find("Overview")
    package, sdk_class, line = example_names(page.root)
    api = ir.Api(package=package, sdk_class=sdk_class, source=ir.Span(ctx.file, line)) if sdk_class else None
    group = ir.Group(name=_group_name(h1, all_calls), source=ir.Span(ctx.file, h1.line),
                     description=section_text(overview) if overview else section_text(h1),
                     operations=tuple(operations))
    return _freeze(ctx, "group", acc, groups=(group,), api=api)
