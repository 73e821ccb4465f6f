"""Views of operations: method signatures, request placement, error tables and docstrings.

Request placement rules (documented in the README of the generated SDK):
- a request that is a body model (not an `operations.*Request` wrapper) is the JSON body;
- wrapper fields and flattened parameters named in the route path `{x}` (by documented,
  Python or wire name) are path parameters;
- the field named `request_body`, else the model-typed field named after its model, else the
  first model-typed field is the JSON body (GET/HEAD: only `request_body`);
- `security` parameters carry per-call credentials; everything else is a query parameter
  under its wire name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from . import ir
from .naming import dedupe, safe_identifier, to_pascal, to_snake, wire_name
from .view_codec import Codec, FunctionView
from .view_layout import block_lines, fill, params
from .view_models import model_field_names
from .view_paging import paging_arg
from .view_roles import Roles
from .view_text import docstring, py_str
from .view_types import Scope

PER_CALL = ("retries", "server_url", "timeout")
IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class OperationView:
    """One operation: a sync method, its async twin and its module-level request builder."""

    name: str
    async_name: str
    docstring: str
    async_docstring: str
    signature: str
    async_signature: str
    returns: str
    response: str
    call: str
    errors: str
    builder: FunctionView


@dataclass(frozen=True)
class _Input:
    """A request field or flattened parameter: documented, Python and wire names, type, source."""

    documented: str
    name: str
    wire: str
    type: ir.TypeRef
    required: bool
    src: str


@dataclass(frozen=True)
class OpContext:
    """What every operation of the API shares: roles, naming rule, globals, retry rule."""

    roles: Roles
    naming: str
    globals: frozenset[str]
    reserved: frozenset[str]
    retries_documented: bool
    retry_non_idempotent: bool = False  # configuration: the default policy applies to every operation


def _error_rank(status: str) -> int:
    parts = [p.strip().upper() for p in status.split(",")]
    return min(0 if p.isdigit() else 1 if p.endswith("XX") else 3 if p == "DEFAULT" else 2 for p in parts)


def error_table(op: ir.Operation, codec: Codec, roles: Roles) -> str:
    """`((status pattern, error class), ...)` of the documented typed errors, most specific first."""
    rows = []
    for case in sorted(op.errors, key=lambda c: _error_rank(c.status)):
        key = roles.model_key(case.type)
        symbol = codec.symbol(case.type) if key else None
        if symbol is not None:
            rows.append(f"({py_str(case.status)}, {codec.scope.ref(symbol, code=True)})")
    if not rows:
        return "()"
    return f"({rows[0]},)" if len(rows) == 1 else f"({', '.join(rows)})"


def _wrapper(op: ir.Operation, roles: Roles) -> Optional[ir.Model]:
    """The `operations.*Request` model when the request wraps path/query/body fields."""
    model = roles.model_of(op.request)
    if model is None or not model.name.endswith("Request") or model.namespace not in ("operations", ""):
        return None
    return model


def _inputs_of_wrapper(model: ir.Model, names: list[str]) -> list[_Input]:
    return [_Input(f.name, n, f.wire_name or f.name, f.type, f.required, f"request.{n}")
            for f, n in zip(model.fields, names)]


def _flattened(op: ir.Operation, ctx: OpContext) -> list[_Input]:
    """Flattened parameters (no request object): wire names from the op's *Request model if any."""
    wrapper = ctx.roles.models.get(("operations", f"{to_pascal(op.name)}Request"))
    wires = {f.name: f.wire_name for f in wrapper.fields} if wrapper else {}
    out = []
    for p in op.parameters:
        if p.name in PER_CALL or p.name == "request":
            continue
        name = safe_identifier(p.name, ctx.reserved)
        out.append(_Input(p.name, name, wires.get(p.name) or wire_name(p.name, ctx.naming), p.type,
                          p.required, name))
    out = _distinct(out, ctx.reserved)
    return [i for i in out if i.required] + [i for i in out if not i.required]


def _distinct(inputs: list[_Input], reserved: frozenset[str]) -> list[_Input]:
    """Inputs whose Python names are unique and clear of the per-call keywords (`a-b` and `a_b`,
    or a repeated row, would otherwise be one argument twice)."""
    names = dedupe((i.name for i in inputs), reserved | {"request", *PER_CALL})
    return [replace(i, name=n, src=n) for i, n in zip(inputs, names)]


def _body_input(inputs: list[_Input], method: str, roles: Roles) -> Optional[_Input]:
    """Which input is the JSON body (see the module docstring)."""
    named = [i for i in inputs if i.documented == "request_body"]
    if named or method in ("GET", "HEAD"):
        return named[0] if named else None
    typed = [i for i in inputs if roles.model_of(i.type) is not None and i.documented != "security"]
    for i in typed:
        model = roles.model_of(i.type)
        if model is not None and to_snake(model.name) == to_snake(i.documented):
            return i
    return typed[0] if typed else None


def _value(i: _Input, codec: Codec, ctx: OpContext) -> str:
    """The input's value as sent (globals fill unset parameters)."""
    return f"ctx.glob({py_str(i.name)}, {i.src})" if i.name in ctx.globals else i.src


def _placement(inputs: list[_Input], op: ir.Operation, route: ir.Route, codec: Codec, ctx: OpContext,
               request_body: Optional[str] = None) -> list[str]:
    """Keyword arguments of `_rt.Request(...)`: path, query, headers, body, auth, paging
    (`request_body`: the encoded request when the request model is the body)."""
    holes = _PLACEHOLDER.findall(route.path)
    path, used = [], set()
    for hole in holes:
        match = next((i for i in inputs if hole in (i.documented, i.name, i.wire)), None)
        if match is not None:
            used.add(match.name)
            path.append(f"{py_str(hole)}: {_value(match, codec, ctx)}")
        elif hole in ctx.globals:
            path.append(f"{py_str(hole)}: ctx.glob({py_str(hole)}, None)")
    body = None if request_body else _body_input([i for i in inputs if i.name not in used], route.method, ctx.roles)
    args = [f"path_params={{{', '.join(path)}}}"] if path else []
    security = [i for i in inputs if i.documented == "security" and ctx.roles.model_of(i.type) is not None]
    skip = used | {i.name for i in security} | ({body.name} if body else set())
    named = {h.name: h.header for h in route.headers}
    headers = [i for i in inputs if i.documented in named and i.name not in skip]
    skip |= {i.name for i in headers}
    queried = [i for i in inputs if i.name not in skip]
    if queried:
        args.append(f"query={{{', '.join(f'{py_str(i.wire)}: {_value(i, codec, ctx)}' for i in queried)}}}")
    if headers:
        args.append(f"headers={{{', '.join(f'{py_str(named[i.documented])}: {_value(i, codec, ctx)}' for i in headers)}}}")
    if body is not None:
        args.append(f"body={_encoded(body.type, _value(body, codec, ctx), codec)}")
    elif request_body:
        args.append(f"body={request_body}")
    if security:
        src = security[0].src
        args.append(f"auth=None if {src} is None else {src}._auth_headers()")
    paging = paging_arg(op, {i.documented: i.wire for i in queried}, body.type if body else op.request, ctx.roles)
    return args + ([paging] if paging else [])


def _encoded(t: ir.TypeRef, src: str, codec: Codec) -> str:
    expr = codec.encode(t, src)
    if expr is None:
        return src
    return f"None if {src} is None else {expr}"


def _request_prelude(op: ir.Operation, model: Optional[ir.Model], codec: Codec, ctx: OpContext,
                     label: str) -> list[str]:
    """Lines accepting a plain dict for a request model, and checking a required wrapper."""
    if model is None:
        return []
    ref = codec.scope.ref(codec.scope.symbols.of(model), code=True)
    lines = ["if isinstance(request, dict):", f"    request = {ref}.from_python_dict(request)"]
    if _wrapper(op, ctx.roles) is model:
        if any(f.required for f in model.fields):
            lines += ["if request is None:", f"    raise ValueError({py_str(label + ': a request is required')})"]
        else:
            lines += ["if request is None:", f"    request = {ref}()"]
    return lines


def _extras(op: ir.Operation, ctx: OpContext) -> list[_Input]:
    """Parameters documented beside a request object (per-call credentials, mostly)."""
    out = []
    for p in op.parameters:
        if p.name in PER_CALL or p.name == "request":
            continue
        name = safe_identifier(p.name, ctx.reserved | {"request"})
        out.append(_Input(p.name, name, wire_name(p.name, ctx.naming), p.type, False, name))
    return _distinct(out, ctx.reserved)


def _param(scope: Scope, i: _Input, optional: bool) -> str:
    hint = scope.hint(i.type)
    if optional:
        return f"{i.name}: {hint if hint == '_t.Any' else hint + ' | None'} = None"
    return f"{i.name}: {hint}"


def _request_param(scope: Scope, op: ir.Operation, model: Optional[ir.Model]) -> str:
    hint = scope.hint(op.request)
    if model is not None:
        hint += f" | {scope.builtin('dict')}[{scope.builtin('str')}, _t.Any]"
    return f"request: {hint if hint == '_t.Any' else hint + ' | None'} = None"


def _params(scope: Scope, op: ir.Operation, inputs: list[_Input], model: Optional[ir.Model]) -> list[str]:
    """Parameters after `self` (method) or `ctx` (builder), before the per-call keywords."""
    if op.request is not None:
        return [_request_param(scope, op, model)] + [_param(scope, i, True) for i in inputs]
    return [_param(scope, i, not i.required) for i in inputs]


def _per_call(scope: Scope) -> list[str]:
    retry = scope.symbols.find(ir.TypeRef(kind="ref", name="RetryConfig", namespace="utils"))
    utils = scope.ref(retry) if retry is not None else "_t.Any"
    text, number = scope.builtin("str"), scope.builtin("float")
    return ["*", f"retries: {utils} | None = None", f"server_url: {text} | None = None",
            f"timeout: {number} | None = None"]


def _route_args(op: ir.Operation, inputs: list[_Input], codec: Codec, ctx: OpContext, label: str) -> list[str]:
    """Body lines of the builder after the prelude: the `_rt.Request(...)` or a NoRouteError."""
    if op.route is None:
        message = (f"{label}: the docs give no HTTP method and path for this operation; "
                   "add it under [routes] in docs2sdk.toml and generate again")
        return [f"raise _rt.NoRouteError({py_str(message)})"]
    retry = any(p.name == "retries" for p in op.parameters) if ctx.retries_documented else op.route.method in IDEMPOTENT
    retry = retry or ctx.retry_non_idempotent
    body = None
    if op.request is not None and _wrapper(op, ctx.roles) is None:
        body = _encoded(op.request, "request", codec)
    args = _placement(inputs, op, op.route, codec, ctx, body)
    head = [py_str(op.route.method), py_str(op.route.path), py_str(label)]
    return ["return _rt.Request("] + [f"    {a}," for a in head + args + [f"retryable={retry}"]] + [")"]


def build_operation(op: ir.Operation, label: str, names: tuple[str, str], scopes: tuple[Scope, Scope],
                    codec: Codec, ctx: OpContext) -> OperationView:
    """The view of one operation; `scopes` are (class body, module level)."""
    method_scope, module_scope = scopes
    model = ctx.roles.model_of(op.request)
    wrapper = _wrapper(op, ctx.roles)
    extras = _extras(op, ctx) if op.request is not None else _flattened(op, ctx)
    inputs = extras
    if wrapper is not None:
        inputs = _inputs_of_wrapper(wrapper, model_field_names(wrapper, ctx.roles)) + extras
    body = _request_prelude(op, model, codec, ctx, label) + _route_args(op, inputs, codec, ctx, label)
    builder_params = ["ctx: _rt.Context"] + _params(module_scope, op, extras, model)
    builder = FunctionView(f"_req_{names[0]}", params(f"def _req_{names[0]}(", builder_params, ") -> _rt.Request:", 0),
                           "_rt.Request", docstring(f"The HTTP request of {label}.", 4), block_lines(body, 4))
    response = codec.symbol(op.response) if op.response is not None else None
    call = ["self._ctx"] + (["request"] if op.request is not None else []) + [i.name for i in extras]
    doc = _op_doc(op, label)
    method_params = ["self", *_params(method_scope, op, extras, model), *_per_call(method_scope)]
    returns = method_scope.ref(response) if response else "_t.Any"
    return OperationView(
        name=names[0], async_name=names[1], docstring=docstring(doc, 8),
        async_docstring=docstring(f"Async twin of `{names[0]}`.\n\n{doc}", 8),
        signature=params(f"def {names[0]}(", method_params, f") -> {returns}:", 4),
        async_signature=params(f"async def {names[1]}(", method_params, f") -> {returns}:", 4), returns=returns,
        response=codec.scope.ref(response, code=True) if response else "_rt.Response",
        call=fill("", f"{builder.name}({', '.join(call)})", ",", 12, item=True),
        errors=fill("", error_table(op, codec, ctx.roles), ",", 12, item=True), builder=builder,
    )


def _op_doc(op: ir.Operation, label: str) -> str:
    """Summary, description, deprecation, raised errors and the route (or its absence)."""
    parts = [p for p in (op.summary, op.description if op.description != op.summary else "") if p]
    if op.deprecated:
        parts.append("Deprecated.")
    raised = [f"{c.type.name} ({c.status})" for c in op.errors if c.type.kind == "ref"]
    if raised:
        parts.append("Raises: " + ", ".join(raised) + ".")
    route = f"{op.route.method} {op.route.path}" if op.route else "no route documented (calling it raises NoRouteError)"
    parts.append(f"HTTP: {route}.")
    return "\n\n".join(parts) if parts else label
