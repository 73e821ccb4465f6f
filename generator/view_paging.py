"""Views of how inputs travel and pages follow: `headers={...}` and `paging=_rt.Paging(...)`
arguments of an operation's `_rt.Request(...)`, in wire terms (documented names resolved to
the wire names of the models they live in)."""

from __future__ import annotations

from typing import Optional

from . import ir
from .view_roles import Roles
from .view_text import py_str


def _wires(model: Optional[ir.Model]) -> dict[str, str]:
    return {f.name: f.wire_name or f.name for f in model.fields} if model is not None else {}


def _field_type(model: Optional[ir.Model], name: str) -> Optional[ir.TypeRef]:
    return next((f.type for f in model.fields if f.name == name), None) if model is not None else None


def wire_path(start: Optional[ir.TypeRef], names: tuple[str, ...], roles: Roles) -> Optional[tuple[str, ...]]:
    """The wire keys of a documented field path from a body type (None: a step is not a field)."""
    out: list[str] = []
    current = start
    for name in names:
        model = roles.model_of(current)
        wires = _wires(model)
        if name not in wires:
            return None
        out.append(wires[name])
        current = _field_type(model, name)
    return tuple(out)


def success_body(op: ir.Operation) -> Optional[ir.TypeRef]:
    """The type of the body a successful call decodes (the first 2xx or status-less typed field)."""
    return next((r.type for r in op.response_fields if r.type is not None and r.type.kind in ("ref", "list", "map")
                 and (r.status or "2").startswith("2")), None)


def paging_arg(op: ir.Operation, query: dict[str, str], body: Optional[ir.TypeRef], roles: Roles) -> Optional[str]:
    """`paging=_rt.Paging(...)`; `query` maps documented input names to query keys, `body` is the
    JSON body's model type. None when the operation does not page or a name does not resolve."""
    rule = op.pagination
    if rule is None:
        return None
    body_wires = _wires(roles.model_of(body))
    if rule.input in query:
        where, wires = "query", query
    elif rule.input in body_wires:
        where, wires = "body", body_wires
    else:
        return None
    if rule.limit and rule.limit not in wires:
        return None
    results = wire_path(success_body(op), rule.results, roles)
    cursor = wire_path(success_body(op), rule.next, roles)
    if results is None or cursor is None:
        return None
    parts = [py_str(rule.kind), py_str(where), py_str(wires[rule.input]), _tuple(results),
             py_str(wires[rule.limit] if rule.limit else ""), _tuple(cursor)]
    return f"paging=_rt.Paging({', '.join(parts)})"


def _tuple(items: tuple[str, ...]) -> str:
    if not items:
        return "()"
    return f"({py_str(items[0])},)" if len(items) == 1 else f"({', '.join(py_str(i) for i in items)})"
