"""Views of the client: the group tree (one module per group) and the SDK class in sdk.py.

Groups named with dots (`nested.first`) nest: `s.nested.first.get()`. Operations of the group
named "" are methods of the SDK class itself. Documented operation names win over child-group
attributes, which win over async twins (`<op>_async`, numbered when taken).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Optional

from . import ir
from .examples import parse_example
from .naming import class_identifier, dedupe, safe_identifier, to_pascal, to_snake
from .view_codec import Codec, FunctionView
from .view_layout import fill, indented, statement_lines
from .view_layout import params as params_of
from .view_ops import OpContext, OperationView, build_operation
from .view_roles import Roles
from .view_text import docstring, py_str
from .view_types import Scope, Symbols, Uses

_MODULE_RESERVED = frozenset({"sdk", "models", "utils", "_runtime", "py"})
_SDK_KNOWN = frozenset({"security", "server_url", "server_idx", "timeout", "retries", "retry_config", "client",
                        "async_client"})


@dataclass(frozen=True)
class ChildView:
    """A child group: attribute name on the parent, its module and class."""

    attr: str
    module: str
    cls: str
    init: str  # `Cls(ctx)` laid out after `self.attr = ` in a group's __init__
    sdk_init: str  # `Cls(self._ctx)` laid out after `self.attr = ` in the SDK's __init__


@dataclass(frozen=True)
class GroupView:
    """One group class with its module (the root group lives in sdk.py)."""

    path: tuple[str, ...]
    module: str
    name: str
    docstring: str
    imports: tuple[str, ...]
    children: tuple[ChildView, ...]
    operations: tuple[OperationView, ...]
    builders: tuple[FunctionView, ...]


@dataclass(frozen=True)
class SdkView:
    """The SDK class: constructor keywords, the Context it builds, servers and retry defaults."""

    group: GroupView
    init_signature: str
    init_doc: str
    context_args: tuple[str, ...]
    constants: tuple[str, ...]


def group_paths(schema: ir.Schema) -> dict[tuple[str, ...], Optional[ir.Group]]:
    """Every group path, parents included (a parent may have no page of its own)."""
    paths: dict[tuple[str, ...], Optional[ir.Group]] = {(): None}
    for group in schema.groups:
        path = tuple(p for p in group.name.split(".") if p) if group.name else ()
        for depth in range(1, len(path)):
            paths.setdefault(path[:depth], None)
        if paths.get(path) is None:
            paths[path] = group
    return dict(sorted(paths.items()))


def module_names(paths: list[tuple[str, ...]], sdk_class: str, namespaces: set[str]) -> dict[tuple[str, ...], tuple[str, str]]:
    """(module, class) per non-root group path, unique and safe."""
    rest = [p for p in paths if p]
    modules = dedupe((safe_identifier(to_snake("_".join(p)) or "group").lower() for p in rest), _MODULE_RESERVED)
    classes = dedupe((class_identifier(to_pascal("_".join(p)) or "Group") for p in rest),
                     {sdk_class, "Context", *namespaces})
    return dict(zip(rest, zip(modules, classes)))


def _member_names(ops: list[ir.Operation], children: list[tuple[str, ...]], reserved: frozenset[str]) -> tuple[list[str], list[str], list[str]]:
    """Method names, child attributes and async names of one class, in that priority."""
    sync = dedupe((safe_identifier(op.name, reserved) for op in ops), reserved)
    attrs = dedupe((safe_identifier(c[-1], reserved) for c in children), set(sync) | reserved)
    asyncs = dedupe((f"{n}_async" for n in sync), set(sync) | set(attrs) | reserved)
    return sync, attrs, asyncs


def build_group(path: tuple[str, ...], group: Optional[ir.Group], names: dict[tuple[str, ...], tuple[str, str]],
                symbols: Symbols, ctx: OpContext, uses: Uses) -> GroupView:
    """The view of one group class (root: the operations of the SDK class, in sdk.py)."""
    ops = list(group.operations) if group else []
    children = sorted(p for p in names if len(p) == len(path) + 1 and p[: len(path)] == path)
    reserved = frozenset({"_ctx"} | ({"close", "aclose"} if not path else set()))
    sync, attrs, asyncs = _member_names(ops, children, reserved)
    uses.modules.add("utils")
    module_scope = Scope(symbols, uses)
    class_scope = module_scope.shadow(frozenset(sync + attrs + asyncs))
    codec = Codec(module_scope)
    label_base = ".".join(path)
    views = [build_operation(op, f"{label_base}.{op.name}" if label_base else op.name, (s, a),
                             (class_scope, module_scope), codec, ctx) for op, s, a in zip(ops, sync, asyncs)]
    kids = tuple(ChildView(attr, *names[c], fill(f"self.{attr} = ", f"{names[c][1]}(ctx)", "", 8),
                           fill(f"self.{attr} = ", f"{names[c][1]}(self._ctx)", "", 8))
                 for attr, c in zip(attrs, children))
    module, cls = names.get(path, ("sdk", ""))
    text = (group.description if group else "") or f"Operations of the {label_base or 'API'} group."
    return GroupView(path, module, cls, docstring(text, 4), imports(uses, kids), kids, tuple(views),
                     tuple(v.builder for v in views) + tuple(codec.functions))


def imports(uses: Uses, children: tuple[ChildView, ...]) -> tuple[str, ...]:
    """Import lines of a client module."""
    lines = ["import builtins as _builtins"] if uses.builtins else []
    lines += ["import datetime as _dt", "import decimal as _decimal", "import typing as _t", ""]
    if "httpx" in uses.modules:
        lines += ["import httpx as _httpx", ""]
    lines.append("from . import _runtime as _rt")
    lines += ["from . import utils as _ns_utils" for m in uses.aliased if m == "utils"]
    lines.append("from . import utils")
    models = sorted(uses.modules - {"utils", "httpx"})
    if models:
        lines.append(f"from .models import {', '.join(models)}")
    lines += [f"from .models import {m} as _ns_{m}" for m in sorted(uses.aliased - {"utils"})]
    lines += [f"from .{c.module} import {c.cls}" for c in children]
    return tuple(lines)


def example_keywords(schema: ir.Schema) -> list[str]:
    """Constructor keywords the docs' Python examples pass to the SDK class (parsed, never run)."""
    found: set[str] = set()
    for group in schema.groups:
        for op in group.operations:
            for example in op.examples:
                if example.language == "python":
                    found |= _constructor_keywords(example.code, schema.api.sdk_class)
    return sorted(k for k in found if not k.startswith("_"))


def _constructor_keywords(code: str, sdk_class: str) -> set[str]:
    tree, _error = parse_example(code)
    if tree is None:
        return set()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == sdk_class:
                out |= {kw.arg for kw in node.keywords if kw.arg}
    return out


def build_sdk(schema: ir.Schema, root: GroupView, uses: Uses, symbols: Symbols, roles: Roles,
              globals_: list[str], user_agent: str) -> SdkView:
    """The SDK class view: constructor, Context arguments, servers and retry defaults."""
    api = schema.api
    scope = Scope(symbols, uses)
    security = next((symbols.of(roles.models[k]) for k in sorted(roles.security) if k[1] == "Security"), None)
    params = ["self", "*"]
    uses.modules.add("httpx")
    if security is not None:
        params.append(f"security: {scope.ref(security)} | None = None")
        auth = "{} if security is None else security._auth_headers()"
    else:
        auth_params, auth = _auth_kwargs(api)
        params += auth_params
    params += ["server_url: str | None = None", "server_idx: int | None = None", "timeout: float | None = None",
               "retries: utils.RetryConfig | None = None", "retry_config: utils.RetryConfig | None = None",
               "client: _httpx.Client | None = None", "async_client: _httpx.AsyncClient | None = None"]
    taken = {p.split(":")[0] for p in params}
    variables = sorted({k for s in api.servers for k, _ in s.variables} - taken)
    extra = [g for g in globals_ if g not in taken and g not in variables]
    # Keyword names for server variables and example globals: identifiers that shadow nothing the
    # constructor body uses; the documented names stay the keys of the dicts handed to Context.
    body = {"self", "_rt", "_SERVERS", "_RETRIES", "_USER_AGENT", *(c.cls for c in root.children)}
    keywords = dedupe((safe_identifier(n, frozenset(body)) for n in variables + extra), taken | body)
    var_kw, extra_kw = keywords[:len(variables)], keywords[len(variables):]
    params += [f"{k}: str | None = None" for k in var_kw] + [f"{k}: _t.Any = None" for k in extra_kw]
    env = f"{api.package.upper()}_SERVER_URL"
    args = ("servers=_SERVERS", "server_url=server_url", "server_idx=server_idx",
            f"variables={{{', '.join(f'{py_str(v)}: {k}' for v, k in zip(variables, var_kw))}}}",
            f"env_var={py_str(env)}",
            f"auth={auth}", "timeout=timeout", "retries=retries or retry_config", "default_retries=_RETRIES",
            f"retry_statuses={_statuses(api.retries)}", "client=client", "async_client=async_client",
            "user_agent=_USER_AGENT", f"globals={{{', '.join(f'{py_str(g)}: {k}' for g, k in zip(extra, extra_kw))}}}")
    doc = (f"Client of the {api.title or api.package} API.\n\nKeyword arguments: server_url (else the {env} "
           "environment variable, else the documented server server_idx), timeout in seconds, retries "
           "(utils.RetryConfig), an httpx client / async_client to reuse, and the credentials.")
    about = api.description or f"The {api.title or api.package} API."
    text = f"{about}\n\nGroups of operations are attributes (`s.<group>.<operation>(...)`); every operation " \
           "has an async twin `<operation>_async`. Use as a context manager, or call close()."
    root = replace(root, imports=imports(uses, root.children), docstring=docstring(text, 4))
    constants = _constants(api) + (f"_USER_AGENT = {py_str(user_agent)}",)
    init = params_of("def __init__(", params, ") -> None:", 4)
    items = tuple(fill("", a, ",", 12, item=True) for a in args)
    laid = tuple(indented(statement_lines(c, 0), 0) for c in constants)
    return SdkView(root, init, docstring(doc, 8), items, laid)


def _auth_kwargs(api: ir.Api) -> tuple[list[str], str]:
    """Credential keywords when the docs have no Security model: per configured scheme."""
    params, specs = [], []
    for scheme in api.auth:
        header, prefix = py_str(scheme.header or "Authorization"), py_str(scheme.prefix)
        if scheme.scheme == "basic" and "username: str | None = None" not in params:
            params += ["username: str | None = None", "password: str | None = None"]
            specs.append(f'("basic", None if username is None else _rt.BasicAuth(username, password or ""), '
                         f"{header}, {prefix})")
        elif scheme.scheme in ("bearer", "oauth2") and "bearer_token: str | None = None" not in params:
            params.append("bearer_token: str | None = None")
            specs.append(f'("bearer", bearer_token, {header}, {prefix})')
        elif "api_key: str | None = None" not in params:
            params.append("api_key: str | None = None")
            specs.append(f'("api_key", api_key, {header}, {prefix})')
    if not specs:
        return [], "{}"
    return params, f"_rt.auth_headers(({', '.join(specs)},))"


def _statuses(retries: ir.Retries) -> str:
    codes = list(retries.status_codes) or ["429", "5XX"]
    return "(" + ", ".join(py_str(c) for c in codes) + ("," if len(codes) == 1 else "") + ")"


def _constants(api: ir.Api) -> tuple[str, ...]:
    """Module constants of sdk.py: servers with variable defaults, default retries, user agent."""
    servers = ", ".join(f"({py_str(s.url)}, {{{', '.join(f'{py_str(k)}: {py_str(v)}' for k, v in s.variables)}}})"
                        for s in api.servers)
    lines = [f"_SERVERS: tuple[tuple[str, dict[str, str]], ...] = ({servers}{',' if len(api.servers) == 1 else ''})"]
    r = api.retries
    if r.strategy == "backoff":
        lines.append(f"_RETRIES: utils.RetryConfig | None = utils.RetryConfig(\"backoff\", utils.BackoffStrategy("
                     f"{r.initial_interval}, {r.max_interval}, {r.exponent!r}, {r.max_elapsed_time}), "
                     f"{r.retry_connection_errors})")
    else:
        lines.append("_RETRIES: utils.RetryConfig | None = None")
    return tuple(lines)
