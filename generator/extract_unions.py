"""Extraction of union pages: `# Name` + `## Supported Types`, one `### Variant` heading and a
code block `name: Type = /* ... */` per variant."""

from __future__ import annotations

import re
from typing import Optional

from . import ir
from .diagnostics import error
from .dialects import get_dialect
from .extract import ExtractContext, PageFacts, _Acc, _freeze, _type_error, page_title
from .reader import Page, Section
from .tables import named, section_text, title_name

_UNION_ASSIGN = re.compile(r"=\s*/\*")


def _union_code_type(code: str) -> str:
    """The `Type` of the first line `name: Type = /* ... */` of a code block, or ""."""
    for line in code.split("\n"):
        _, colon, rest = line.partition(":")
        match = _UNION_ASSIGN.search(rest) if colon else None
        if match and rest[:match.start()].strip():
            return rest[:match.start()].strip()
    return ""


def _variants(types_sec: Section, ctx: ExtractContext, acc: _Acc) -> list[ir.TypeRef]:
    """One type per variant code block under Supported Types (unknown syntax is E103 and `any`)."""
    dialect = get_dialect(ctx.dialect)
    variants: list[ir.TypeRef] = []
    for sub in types_sec.subsections:
        for block in sub.blocks:
            text = _union_code_type(block.text) if block.kind == "code" else ""
            if not text:
                continue
            parsed = dialect.parse_code_type(text)
            if parsed.error:
                acc.diagnostics.append(_type_error(text, parsed.error, ctx, block.line))
            variants.append(parsed.type)
    return variants


def rule_union(page: Page, ctx: ExtractContext) -> Optional[PageFacts]:
    """`# Name` + `## Supported Types` with one `### Variant` + code block (`x: T = ...`) each."""
    h1 = page_title(page)
    types_sec = h1.find("Supported Types") if h1 else None
    if h1 is None or types_sec is None:
        return None
    acc = _Acc()
    variants = _variants(types_sec, ctx, acc)
    if not variants:
        acc.diagnostics.append(error("E105", "the union has no variants (no `name: Type = ...` code block under "
                                             "Supported Types)", ctx.file, types_sec.line,
                                     "each variant needs a `### Variant` heading and a code block `x: Type = /* ... */`"))
    name, _ = title_name(h1.title)
    if not named(name, "union", ctx.file, h1.line, acc.diagnostics):
        return _freeze(ctx, "union", acc)
    union = ir.Union(name=name, namespace=ctx.namespace, variants=tuple(variants),
                     source=ir.Span(ctx.file, h1.line), description=section_text(h1))
    return _freeze(ctx, "union", acc, unions=(union,))
