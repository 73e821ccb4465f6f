"""The configure stage for how inputs travel and how results page.

Header parameters come from configuration only (`[headers]`); an input whose name looks like a
header (`x_...`) but is not configured as one is sent as a query parameter, and a note says so.
Pagination comes from configuration (`[pagination]`), else it is inferred for an operation
whose documented example calls `res.Next()`: the input named `cursor`, `offset` or `page`
moves; the results are the body itself when it is a list, else its one list field; a `limit`
or page-size input bounds a page. Every inference is reported (N203), every doubt is a warning
(W304) that names the configuration that settles it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from . import ir
from .config import Config
from .diagnostics import Diagnostic, note, warning

_NEXT_CALL = re.compile(r"\.Next\(\s*\)")
_KIND_OF_INPUT = {"cursor": "cursor", "offset": "offset", "page": "page"}
_LIMIT_INPUTS = ("limit", "page_size", "per_page", "size")
_NOT_INPUTS = ("request", "retries", "server_url", "timeout", "security")
Models = dict[tuple[str, str], ir.Model]


def configure_transport(groups: list[ir.Group], models: Models, config: Config,
                        diags: list[Diagnostic]) -> list[ir.Group]:
    """Attach header parameters to routes and pagination to operations."""
    out = []
    for group in groups:
        ops = [_configure_operation(group.name, op, models, config, diags) for op in group.operations]
        out.append(replace(group, operations=tuple(ops)))
    return out


def _configure_operation(group: str, op: ir.Operation, models: Models, config: Config,
                         diags: list[Diagnostic]) -> ir.Operation:
    key = f"{group}.{op.name}" if group else op.name
    inputs = input_names(op, models)
    headers = _headers(key, op, inputs, config.header_params(group, op.name), config, diags)
    if op.route is not None:  # without a route nothing is sent (W301 says so at generation)
        op = replace(op, route=replace(op.route, headers=headers))
    configured = {h.name for h in headers}
    for name in inputs:
        if name.lower().startswith("x_") and name not in configured:
            diags.append(note("N204", f"{key}: input {name!r} looks like an HTTP header; it is sent as a query "
                                      "parameter", op.source.file, op.source.line,
                              f'if it is a header, add "{key}" = {{ {name} = "X-..." }} under [headers]'))
    rule = config.pagination_rule(group, op.name)
    if rule is not None:
        return replace(op, pagination=_configured(key, op, rule, inputs, config, diags))
    if any(_NEXT_CALL.search(e.code) for e in op.examples):
        return replace(op, pagination=_inferred(key, op, inputs, models, diags))
    return op


def input_names(op: ir.Operation, models: Models) -> list[str]:
    """Documented names of the operation's inputs: parameters, and the fields of a request model."""
    names = [p.name for p in op.parameters if p.name not in _NOT_INPUTS]
    request = op.request or next((p.type for p in op.parameters if p.name == "request"), None)
    model = _model(request, models)
    if model is not None:
        names += [f.name for f in model.fields if f.name not in names]
        body = next((f for f in model.fields if f.name == "request_body"), None)
        inner = _model(body.type, models) if body is not None else None
        names += [f.name for f in inner.fields if f.name not in names] if inner is not None else []
    return names


def _model(t: Optional[ir.TypeRef], models: Models) -> Optional[ir.Model]:
    if t is None or t.kind != "ref":
        return None
    return models.get((t.namespace or "shared", t.name)) or models.get(("operations", t.name))


def _headers(key: str, op: ir.Operation, inputs: list[str], configured: tuple[tuple[str, str], ...],
             config: Config, diags: list[Diagnostic]) -> tuple[ir.HeaderParam, ...]:
    out = []
    for name, header in configured:
        if name in inputs:
            out.append(ir.HeaderParam(name, header))
        else:
            diags.append(warning("W302", f"[headers] of {key!r} names {name!r}, which is not an input of the operation",
                                 config.source, 0, f"inputs: {', '.join(inputs) or 'none'}"))
    return tuple(out)


def _configured(key: str, op: ir.Operation, rule: dict[str, str], inputs: list[str], config: Config,
                diags: list[Diagnostic]) -> Optional[ir.Pagination]:
    for what in ("input", "limit"):
        if rule.get(what) and rule[what] not in inputs:
            diags.append(warning("W302", f"[pagination] of {key!r}: {what} {rule[what]!r} is not an input of the "
                                         "operation; no pagination generated", config.source, 0,
                                 f"inputs: {', '.join(inputs) or 'none'}"))
            return None
    results = tuple(p for p in rule.get("results", "").split(".") if p)
    cursor = tuple(p for p in rule.get("next", "").split(".") if p)
    return ir.Pagination(rule["kind"], rule["input"], op.source, results, rule.get("limit", ""), cursor)


def _inferred(key: str, op: ir.Operation, inputs: list[str], models: Models,
              diags: list[Diagnostic]) -> Optional[ir.Pagination]:
    example = next(e for e in op.examples if _NEXT_CALL.search(e.code))
    where = (example.source.file, example.source.line)
    hint = f'add "{key}" = {{ kind = "cursor|offset|page", input = "...", results = "field" }} under [pagination]'
    movers = [n for n in inputs if n in _KIND_OF_INPUT]
    results = _results(op, models)
    if not movers or results is None:
        why = "no input is named cursor, offset or page" if not movers else "the body has no single list of results"
        diags.append(warning("W304", f"{key}: the example calls Next() but {why}; no pagination generated",
                             *where, hint))
        return None
    mover = max(movers, key=lambda n: op.name.rfind(n)) if len(movers) > 1 else movers[0]
    limit = next((n for n in _LIMIT_INPUTS if n in inputs), "")
    found = ir.Pagination(_KIND_OF_INPUT[mover], mover, example.source, results, limit, (), inferred=True)
    said = (f"{key}: pagination inferred from the example's Next(): {found.kind} over input {mover!r}, results "
            f"{'.'.join(results) or 'the body'}" + (f", page size {limit!r}" if limit else ""))
    if len(movers) > 1:
        diags.append(warning("W304", f"{said} (inputs {', '.join(movers)} could each move; chose the one the "
                                     "operation's name ends with)", *where, hint))
    else:
        diags.append(note("N203", said, *where, hint))
    return found


def _results(op: ir.Operation, models: Models) -> Optional[tuple[str, ...]]:
    """Documented field names from the success body to its list of items (None: no single list)."""
    bodies = [r for r in op.response_fields if r.type is not None and r.type.kind in ("ref", "list")
              and (r.status or "2").startswith("2")]
    if not bodies or bodies[0].type is None:
        return None
    if bodies[0].type.kind == "list":
        return ()
    model = _model(bodies[0].type, models)
    lists = [f.name for f in model.fields if f.type.kind == "list"] if model is not None else []
    return (lists[0],) if len(lists) == 1 else None
