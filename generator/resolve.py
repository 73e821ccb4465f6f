"""Resolve: link references to definitions, derive response fields, report what stays unresolved."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from typing import Callable, Optional

from . import ir
from .diagnostics import Diagnostic, note, quoted, warning
from .dialects.base import normalize_name
from .extract import LinkUse

BUILTIN_TYPES = {"sdkerror"}  # every generated SDK has its own SDKError class
_PLUMBING = {"statuscode", "contenttype", "rawresponse", "headers"}


@dataclass(frozen=True, slots=True)
class Definitions:
    """Lookup of defined names: normalised name -> [(namespace, name)]."""

    by_name: dict[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, models: tuple[ir.Model, ...], enums: tuple[ir.Enum, ...], unions: tuple[ir.Union, ...]) -> "Definitions":
        """Index every model, enum and union."""
        table: dict[str, list[tuple[str, str]]] = {}
        items: list[ir.Model | ir.Enum | ir.Union] = [*models, *enums, *unions]
        for item in items:
            table.setdefault(normalize_name(item.name), []).append((item.namespace, item.name))
        return cls(table)

    def find(self, t: ir.TypeRef) -> Optional[tuple[str, str]]:
        """The definition a ref names: same namespace preferred, else the only or first one."""
        candidates = self.by_name.get(normalize_name(t.name), [])
        for namespace, name in candidates:
            if namespace == t.namespace:
                return namespace, name
        return candidates[0] if candidates else None


def map_type(t: ir.TypeRef, fn: Callable[[ir.TypeRef], ir.TypeRef]) -> ir.TypeRef:
    """Rebuild a type tree bottom-up, applying `fn` to every `ref` node."""
    if t.kind == "ref":
        return fn(t)
    items = map_type(t.items, fn) if t.items else None
    values = map_type(t.values, fn) if t.values else None
    variants = tuple(map_type(v, fn) for v in t.variants)
    if items is t.items and values is t.values and all(a is b for a, b in zip(variants, t.variants)):
        return t  # nothing linked below: the same node (most types hold no ref to rewrite)
    return replace(t, items=items, values=values, variants=variants)


class RefLinker:
    """Rewrites refs to the defined (namespace, name) and records unresolved ones."""

    def __init__(self, defs: Definitions) -> None:
        """Start with no unresolved references."""
        self.defs = defs
        self.unresolved: dict[tuple[str, str], list[ir.Span]] = {}

    def link(self, t: Optional[ir.TypeRef], span: ir.Span) -> Optional[ir.TypeRef]:
        """Link every ref in `t`, remembering `span` for those that stay unresolved."""
        if t is None:
            return None

        def one(node: ir.TypeRef) -> ir.TypeRef:
            found = self.defs.find(node)
            if found is not None:
                linked = ir.ref(found[1], found[0])
                return node if linked == node else linked
            if normalize_name(node.name) not in BUILTIN_TYPES:
                self.unresolved.setdefault((node.namespace, node.name), []).append(span)
            return node

        return map_type(t, one)

    def report(self) -> tuple[tuple[ir.Unresolved, ...], list[Diagnostic]]:
        """The `unresolved` list and one W201 per name, at its first reference."""
        items, diags = [], []
        for (namespace, name), spans in sorted(self.unresolved.items()):
            spans = sorted(set(spans), key=lambda s: (s.file, s.line))
            items.append(ir.Unresolved(name, namespace, tuple(spans)))
            more = f" (and {len(spans) - 1} more references)" if len(spans) > 1 else ""
            diags.append(warning("W201", f"type {name!r} is referenced but defined by no page{more}",
                                 spans[0].file, spans[0].line, "add its page, or pass the docs tree that defines it"))
        return tuple(items), diags


def link_model(model: ir.Model, linker: RefLinker) -> ir.Model:
    """Link the refs of every field (a field or model with nothing to rewrite stays as it is)."""
    fields = tuple(_linked_field(f, linker) for f in model.fields)
    return model if all(a is b for a, b in zip(fields, model.fields)) else replace(model, fields=fields)


def _linked_field(f: ir.Field, linker: RefLinker) -> ir.Field:
    linked = linker.link(f.type, f.source) or f.type
    return f if linked is f.type else replace(f, type=linked)


def link_union(union: ir.Union, linker: RefLinker) -> ir.Union:
    """Link the refs of every variant."""
    return replace(union, variants=tuple(linker.link(v, union.source) or v for v in union.variants))


def _response_fields(op: ir.Operation, models: dict[tuple[str, str], ir.Model]) -> tuple[ir.ResponseField, ...]:
    """The typed body fields of the operation's response model (status/content-type/raw excluded)."""
    if op.response is None or op.response.kind != "ref":
        return op.response_fields
    model = models.get((op.response.namespace, op.response.name))
    if model is None:
        return op.response_fields
    # A body field documented as the raw response object (`Optional[httpx.Response]`) is a
    # streamed download: its content is bytes.
    return tuple(ir.ResponseField(f.name, ir.prim("bytes") if f.type.kind == "http_response" else f.type,
                                  f.source, description=f.description)
                 for f in model.fields if normalize_name(f.name) not in _PLUMBING)


def link_operation(op: ir.Operation, linker: RefLinker, models: dict[tuple[str, str], ir.Model]) -> ir.Operation:
    """Link request, response, parameters, errors; then derive response fields."""
    linked = replace(
        op,
        request=linker.link(op.request, op.source),
        response=linker.link(op.response, op.source),
        parameters=tuple(replace(p, type=linker.link(p.type, p.source) or p.type) for p in op.parameters),
        errors=tuple(replace(e, type=linker.link(e.type, e.source) or e.type) for e in op.errors),
        response_fields=tuple(replace(r, type=linker.link(r.type, r.source)) for r in op.response_fields),
    )
    return replace(linked, response_fields=_response_fields(linked, models))


def check_links(links: list[LinkUse], page_files: set[str], prefix: str) -> list[Diagnostic]:
    """W103 for links that leave the docs root, W102 for links to pages that do not exist.

    Targets are only compared with the discovered page set; nothing is opened.
    """
    diags = []
    for use in links:
        target = use.target.split("#", 1)[0]
        if not target or "://" in target or target.startswith("mailto:") or target.endswith("/.md"):
            continue
        base = posixpath.dirname(use.span.file[len(prefix):])
        joined = posixpath.normpath(posixpath.join(base, target)) if not target.startswith("/") else target
        if joined.startswith("../") or joined == ".." or target.startswith("/"):
            diags.append(warning("W103", f"link {quoted(use.target)} leaves the docs root; not followed",
                                 use.span.file, use.span.line, "links must stay inside the docs tree"))
        elif prefix + joined not in page_files:
            diags.append(warning("W102", f"link {quoted(use.target)} points at no page; the link text was used",
                                 use.span.file, use.span.line, "fix the link target or add the page"))
    return diags


def drop_empty_groups(groups: list[ir.Group]) -> tuple[list[ir.Group], list[Diagnostic]]:
    """Group pages without operations (the SDK's own overview page) generate nothing; say so."""
    kept, diags = [], []
    for group in groups:
        if group.operations:
            kept.append(group)
        else:
            diags.append(note("N103", f"group page {group.name!r} lists no operations; no group generated",
                              group.source.file, group.source.line, "this is usually the SDK overview page"))
    return kept, diags
