"""Merge page fragments into one set of definitions, across pages and across dialects.

Definitions are keyed by (namespace, normalised name). The first definition wins; a later
one from another dialect may fill gaps and is compared, and differences are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, TypeVar

from . import ir
from .diagnostics import Diagnostic, error, warning
from .dialects.base import normalize_name
from .extract import PageFacts

Definition = TypeVar("Definition", ir.Model, ir.Enum, ir.Union)


@dataclass(frozen=True, slots=True)
class Merged:
    """Definitions and groups after merging, with the diagnostics merging produced."""

    models: tuple[ir.Model, ...]
    enums: tuple[ir.Enum, ...]
    unions: tuple[ir.Union, ...]
    groups: tuple[ir.Group, ...]
    diagnostics: tuple[Diagnostic, ...]


def type_signature(t: ir.TypeRef) -> str:
    """A dialect-blind rendering of a type, for comparing definitions.

    integer and number compare equal: TypeScript documents both as `number`.
    """
    if t.kind == "ref":
        return f"ref:{normalize_name(t.name)}"
    if t.kind == "list" and t.items:
        return f"list[{type_signature(t.items)}]"
    if t.kind == "map" and t.values:
        return f"map[{type_signature(t.values)}]"
    if t.kind == "union":
        return "union[" + ",".join(sorted(type_signature(v) for v in t.variants)) + "]"
    return "number" if t.kind == "integer" else t.kind


def _key(namespace: str, name: str) -> tuple[str, str]:
    return namespace, normalize_name(name)


def _same_model(a: ir.Model, b: ir.Model) -> list[str]:
    """Differences between two definitions of one model, as short sentences."""
    diffs = []
    theirs = {normalize_name(f.name): f for f in b.fields}
    ours = {normalize_name(f.name): f for f in a.fields}
    for key in sorted(set(ours) | set(theirs)):
        left, right = ours.get(key), theirs.get(key)
        if left is None or right is None:
            present = (left or right)
            assert present is not None
            diffs.append(f"field {present.name!r} only in {'the first' if left else 'the second'}")
        elif type_signature(left.type) != type_signature(right.type):
            diffs.append(f"field {left.name!r} is {type_signature(left.type)} vs {type_signature(right.type)}")
        elif left.required != right.required:
            diffs.append(f"field {left.name!r} required={left.required} vs {right.required}")
    return diffs


def _refine(a: ir.Model, b: ir.Model) -> ir.Model:
    """Where the first says `number` and the second `integer`, the second is more precise."""
    theirs = {normalize_name(f.name): f for f in b.fields}
    fields = []
    for f in a.fields:
        other = theirs.get(normalize_name(f.name))
        if other is not None and f.type.kind == "number" and other.type.kind == "integer":
            f = replace(f, type=other.type)
        fields.append(f)
    return replace(a, fields=tuple(fields))


def _compare(first: Definition, second: Definition, same_dialect: bool) -> tuple[Definition, list[Diagnostic]]:
    diffs: list[str] = []
    merged = first
    if isinstance(first, ir.Model) and isinstance(second, ir.Model):
        diffs = _same_model(first, second)
        merged = _refine(first, second)
    elif isinstance(first, ir.Enum) and isinstance(second, ir.Enum):
        left = sorted(str(m.value) for m in first.members)
        right = sorted(str(m.value) for m in second.members)
        diffs = [] if left == right else [f"values {left} vs {right}"]
    if not diffs:
        return merged, []
    text = "; ".join(diffs[:5]) + (f"; and {len(diffs) - 5} more" if len(diffs) > 5 else "")
    where = f"{first.source.file}:{first.source.line}"
    if same_dialect:
        return merged, [error("E201", f"{first.name!r} is also defined at {where}, differently: {text}",
                              second.source.file, second.source.line, "rename one of the two, or remove the stale page")]
    return merged, [warning("W202", f"{first.name!r} differs from its definition at {where}: {text}; the first was kept",
                            second.source.file, second.source.line, "the dialects disagree; check which page is right")]


def _merge_definitions(items: Iterable[tuple[str, bool, Definition]]) -> tuple[list[Definition], list[Diagnostic]]:
    """`items` are (dialect, loose, definition) in priority order."""
    kept: dict[tuple[str, str], tuple[str, Definition]] = {}
    diags: list[Diagnostic] = []
    for dialect, loose, item in items:
        key = _key("" if loose else item.namespace, item.name)
        if key not in kept and loose:
            key = next((k for k in kept if k[1] == key[1]), key)
        if key not in kept:
            kept[key] = (dialect, item)
            continue
        first_dialect, first = kept[key]
        merged, found = _compare(first, item, same_dialect=first_dialect == dialect)
        kept[key] = (first_dialect, merged)
        if not found and first_dialect == dialect:
            found = [warning("W205", f"{item.name!r} is defined twice identically (also at {first.source.file}:{first.source.line})",
                             item.source.file, item.source.line, "remove the duplicate page")]
        diags.extend(found)
    return [d for _, d in kept.values()], diags


def _merge_groups(items: Iterable[tuple[str, ir.Group]]) -> list[ir.Group]:
    """Groups by normalised name; operations by normalised name; the first fills the rest."""
    groups: dict[str, ir.Group] = {}
    for _dialect, group in items:
        key = normalize_name(group.name)
        if key not in groups:
            groups[key] = group
            continue
        groups[key] = _merge_operations(groups[key], group)
    return list(groups.values())


def _merge_operations(first: ir.Group, later: ir.Group) -> ir.Group:
    """`first` with `later`'s new operations appended and its known ones filling gaps.

    Operations are found by position, so an operation matched twice (`op` and `Op` on the
    later page) fills the already filled one rather than a stale copy.
    """
    ops = list(first.operations)
    index: dict[str, int] = {}
    for i, op in enumerate(ops):
        index.setdefault(normalize_name(op.name), i)
    for op in later.operations:
        at = index.setdefault(normalize_name(op.name), len(ops))
        if at == len(ops):
            ops.append(op)
            continue
        known = ops[at]
        ops[at] = replace(known, request=known.request or op.request, response=known.response or op.response,
                          response_fields=known.response_fields or op.response_fields,
                          examples=known.examples + op.examples)
    return replace(first, operations=tuple(ops))


def merge(pages: list[tuple[PageFacts, bool]]) -> Merged:
    """Merge the facts of every page; `pages` are (facts, loose) in priority order."""
    models, d1 = _merge_definitions((p.dialect, loose, m) for p, loose in pages for m in p.models)
    enums, d2 = _merge_definitions((p.dialect, loose, e) for p, loose in pages for e in p.enums)
    unions, d3 = _merge_definitions((p.dialect, loose, u) for p, loose in pages for u in p.unions)
    groups = _merge_groups((p.dialect, g) for p, _ in pages for g in p.groups)
    return Merged(tuple(models), tuple(enums), tuple(unions), tuple(groups), tuple(d1 + d2 + d3))
