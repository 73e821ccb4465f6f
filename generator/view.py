"""IR -> view objects: every decision about the generated package (names, imports, hints,
defaults, escaped docstrings) is taken by this stage; templates only substitute.

The work is split by file kind: models (view_models, view_response), operations (view_ops),
the client (view_sdk); this module prepares the schema and assembles the package view.
"""

from __future__ import annotations

import keyword
import sys
from dataclasses import dataclass, replace
from typing import Optional

from . import ir
from .diagnostics import Diagnostic, warning
from .naming import class_identifier, python_identifier, safe_identifier, to_pascal, to_snake
from .versions import installed_version
from .view_models import NamespaceView, build_namespace
from .view_ops import OpContext
from .view_roles import Roles
from .view_sdk import GroupView, SdkView, build_group, build_sdk, example_keywords, group_paths, module_names
from .view_text import docstring, summary
from .view_types import MODULE_ALIASES, Symbols, Uses, namespace_modules

SDK_VERSION = "0.1.0"
_STANDARD = (("status_code", "integer", True), ("content_type", "string", True), ("raw_response", "http_response", False))


@dataclass(frozen=True)
class ReadmeRow:
    """One operation in the SDK's README: how to call it and what it does."""

    call: str
    summary: str
    route: str


@dataclass(frozen=True)
class PackageView:
    """The whole generated package."""

    package: str
    sdk_class: str
    version: str
    docs2sdk_version: str
    title: str
    env_var: str
    docstring: str
    namespaces: tuple[NamespaceView, ...]
    model_modules: tuple[str, ...]  # the modules under models/, in the order of `namespaces`
    groups: tuple[GroupView, ...]
    sdk: SdkView
    readme_rows: tuple[ReadmeRow, ...]
    example_call: str
    retries: str
    retry_scope: str
    diagnostics: tuple[Diagnostic, ...]


def docs2sdk_version() -> str:
    """The installed docs2sdk version (written into the User-Agent of generated SDKs)."""
    return installed_version("docs2sdk") or "0"  # "0": running from a plain checkout


def prepare(schema: ir.Schema) -> ir.Schema:
    """Drop the docs' `utils` pages (the SDK ships its own) and give every operation a response model."""
    models = [m for m in schema.models if m.namespace != "utils"]
    names = {(m.namespace, m.name) for m in models}
    data = _data_refs(schema)
    groups = []
    for group in schema.groups:
        ops = []
        for op in group.operations:
            resolved = op.response is not None and (op.response.namespace or "operations", op.response.name) in names
            if resolved and op.response is not None and _is_data(op.response, data):
                # A model that is also data (a field, variant, request, error...) cannot become the
                # operation's Response class: wrap it as the body of a generated response model.
                body = ir.ResponseField(name=to_snake(op.response.name) or "body", type=op.response, source=op.source)
                op, resolved = replace(op, response=None, response_fields=(body, *op.response_fields)), False
            if not resolved:
                model = _response_model(op, names)
                names.add((model.namespace, model.name))
                models.append(model)
                op = replace(op, response=ir.ref(model.name, model.namespace))
            ops.append(op)
        groups.append(replace(group, operations=tuple(ops)))
    # sdk.py's own module-level names, which the SDK class must not shadow.
    taken = MODULE_ALIASES | {"annotations", "utils", "models", "operations", "_SERVERS", "_RETRIES", "_USER_AGENT",
                              *namespace_modules(schema).values()}
    api = replace(schema.api, package=_package(schema.api.package),
                  sdk_class=class_identifier(schema.api.sdk_class or to_pascal(schema.api.package) or "SDK", taken))
    return replace(schema, api=api, models=tuple(models), groups=tuple(groups),
                   enums=tuple(e for e in schema.enums if e.namespace != "utils"),
                   unions=tuple(_not_itself(u) for u in schema.unions if u.namespace != "utils"))


def _flat(types: tuple[ir.TypeRef, ...]) -> list[ir.TypeRef]:
    return [v for t in types for v in (_flat(t.variants) if t.kind == "union" else [t])]


def _not_itself(union: ir.Union) -> ir.Union:
    """A union without the variants that are the union itself (`A = A | int` is `A = int`)."""
    def itself(t: ir.TypeRef) -> bool:
        return t.kind == "ref" and t.name == union.name and t.namespace in ("", union.namespace)

    flat = _flat(union.variants)
    if flat and not any(itself(t) for t in flat):
        return union
    return replace(union, variants=tuple(t for t in flat if not itself(t)) or (ir.prim("any"),))


def _data_refs(schema: ir.Schema) -> set[tuple[str, str]]:
    """(namespace, name) of every ref used as a data type: fields, variants, requests, parameters,
    errors and documented body fields."""
    types: list[Optional[ir.TypeRef]] = [f.type for m in schema.models for f in m.fields]
    types += [v for u in schema.unions for v in u.variants]
    for op in (op for g in schema.groups for op in g.operations):
        types += [op.request, *(p.type for p in op.parameters), *(c.type for c in op.errors)]
        types += [r.type for r in op.response_fields]
    return {(r.namespace, r.name) for t in types if t is not None for r in t.refs()}


def _is_data(response: ir.TypeRef, data: set[tuple[str, str]]) -> bool:
    """A response ref naming a model that some data ref names too (a ref without namespace matches any)."""
    space = response.namespace or "operations"
    return any(name == response.name and (ns or space) == space for ns, name in data)


# Top-level names an SDK package must not take: importing it would shadow a module that the SDK
# (or httpx under it) imports, and nothing would work.
_SHADOWING = frozenset(sys.stdlib_module_names) | {"httpx", "httpcore", "h11", "anyio", "sniffio", "certifi",
                                                   "idna", "typing_extensions", "models", "utils"}


def _package(name: str) -> str:
    """The package name: a lower-case identifier, `_sdk` appended when bare it is a keyword or
    would shadow a module the SDK imports (`enum`, `json`, `email`, httpx...)."""
    ident = python_identifier(name.replace("-", "_").replace(".", "_")).lower() if name else "sdk"
    bare = ident.rstrip("_")
    if bare.isidentifier() and not keyword.iskeyword(bare) and bare not in _SHADOWING:
        return bare
    return (bare or ident) + "_sdk"


def _response_model(op: ir.Operation, taken: set[tuple[str, str]]) -> ir.Model:
    """A response model for an operation whose docs name none: the standard fields plus its body fields."""
    base = f"{to_pascal(op.name) or 'Operation'}Response"
    name, number = base, 2
    while ("operations", name) in taken:
        name, number = f"{base}{number}", number + 1
    fields = [ir.Field(name=n, type=ir.prim(k), required=r, source=op.source) for n, k, r in _STANDARD]
    fields += [ir.Field(name=r.name, type=r.type or ir.prim("any"), required=False, source=r.source)
               for r in op.response_fields]
    return ir.Model(name=name, namespace="operations", fields=tuple(fields), source=op.source,
                    description=f"The response of {op.name}.")


def unrouted(schema: ir.Schema) -> tuple[Diagnostic, ...]:
    """W301 for every operation without a route."""
    out = []
    for group in schema.groups:
        for op in group.operations:
            if op.route is None:
                key = f"{group.name}.{op.name}" if group.name else op.name
                out.append(warning("W301", f"operation {key} has no route; calling it raises NoRouteError",
                                   op.source.file, op.source.line,
                                   f'add "{key}" = "METHOD /path" under [routes] in docs2sdk.toml'))
    return tuple(out)


def empty_unions(schema: ir.Schema) -> tuple[Diagnostic, ...]:
    """W303 for every union without variants (an IR written by hand or by another tool)."""
    return tuple(warning("W303", f"union {u.name} lists no variants; it is generated as a free-form JSON value "
                                 "(typing.Any)", u.source.file, u.source.line,
                         "list the variants under Supported Types on the union's page")
                 for u in schema.unions if not u.variants and u.namespace != "utils")


@dataclass(frozen=True)
class ViewContext:
    """What every part of the view reads: the prepared schema, its namespace modules, symbols
    and roles (read-only once made: the parts can be built in any order, or apart)."""

    schema: ir.Schema
    modules: dict[str, str]
    symbols: Symbols
    roles: Roles
    warnings: tuple[Diagnostic, ...]


def prepare_view(schema: ir.Schema) -> ViewContext:
    """The shared context of a schema's view."""
    warnings = unrouted(schema) + empty_unions(schema)
    schema = prepare(schema)
    modules = namespace_modules(schema)
    symbols = Symbols(schema, modules)
    return ViewContext(schema, modules, symbols, Roles(schema, symbols), warnings)


def namespace_views(context: ViewContext) -> tuple[NamespaceView, ...]:
    """The view of every models module."""
    return tuple(build_namespace(ns, context.schema, context.symbols, context.roles) for ns in context.modules)


def build(schema: ir.Schema, context: Optional[ViewContext] = None, with_namespaces: bool = True) -> PackageView:
    """The package view of a schema; without the models modules' views (`namespaces` empty) when
    those are built apart (`namespace_views`)."""
    context = context or prepare_view(schema)
    schema, modules, symbols, roles, warnings = (context.schema, context.modules, context.symbols, context.roles,
                                                 context.warnings)
    namespaces = namespace_views(context) if with_namespaces else ()
    globals_ = [safe_identifier(k) for k in example_keywords(schema)]
    reserved = frozenset({"self", "ctx", "request", "_rt", "_t", "utils", *modules.values()})
    documented = any(p.name == "retries" for g in schema.groups for o in g.operations for p in o.parameters)
    ctx = OpContext(roles, schema.api.naming, frozenset(globals_), reserved, documented,
                    schema.api.retries.retry_non_idempotent)
    paths = group_paths(schema)
    names = module_names(list(paths), schema.api.sdk_class, set(modules.values()))
    groups = tuple(build_group(p, g, names, symbols, ctx, Uses()) for p, g in paths.items() if p)
    root_uses = Uses()
    root = build_group((), paths[()], names, symbols, ctx, root_uses)
    api = schema.api
    agent = f"docs2sdk/{docs2sdk_version()} {api.package}/{SDK_VERSION}"
    sdk = build_sdk(schema, root, root_uses, symbols, roles, globals_, agent)
    return PackageView(
        package=api.package, sdk_class=api.sdk_class, version=SDK_VERSION, docs2sdk_version=docs2sdk_version(),
        title=summary(api.title) or api.package, env_var=f"{api.package.upper()}_SERVER_URL",
        docstring=docstring(f"{summary(api.title) or api.package}: Python SDK generated by docs2sdk.", 0),
        namespaces=namespaces, model_modules=tuple(modules.values()), groups=groups, sdk=sdk, readme_rows=_readme_rows(root, groups, paths),
        example_call=_example_call(root, groups), retries=api.retries.strategy,
        retry_scope=_retry_scope(api.retries, documented), diagnostics=warnings,
    )


def _retry_scope(retries: ir.Retries, documented: bool) -> str:
    """Which operations the default retry policy covers, for the README."""
    if retries.retry_non_idempotent:
        return "every operation, POST and PATCH included (`retry_non_idempotent` is set)"
    if documented:
        return "the operations the docs mark as retried"
    return "the idempotent operations (GET, HEAD, PUT, DELETE, OPTIONS)"


def _readme_rows(root: GroupView, groups: tuple[GroupView, ...],
                 paths: dict[tuple[str, ...], ir.Group | None]) -> tuple[ReadmeRow, ...]:
    """`s.group.op(...)` rows for the README, in group order."""
    rows = []
    attr_path = _attr_paths(root, groups)
    for view in (root, *groups):
        group = paths.get(view.path)
        ops = group.operations if group else ()
        for op, op_view in zip(ops, view.operations):
            route = f"{op.route.method} {op.route.path}" if op.route else "(no route)"
            rows.append(ReadmeRow(f"s{attr_path[view.path]}.{op_view.name}()", summary(op.summary or op.description),
                                  route))
    return tuple(rows)


def _attr_paths(root: GroupView, groups: tuple[GroupView, ...]) -> dict[tuple[str, ...], str]:
    """Attribute path from the SDK object to each group (`.nested.first`)."""
    by_path = {g.path: g for g in (root, *groups)}
    out: dict[tuple[str, ...], str] = {(): ""}
    for path in sorted(by_path, key=len):
        for child in by_path[path].children:
            kid = next(p for p, g in by_path.items() if g.module == child.module and p)
            out[kid] = f"{out[path]}.{child.attr}"
    return out


def _example_call(root: GroupView, groups: tuple[GroupView, ...]) -> str:
    paths = _attr_paths(root, groups)
    for view in (root, *groups):
        if view.operations:
            return f"s{paths[view.path]}.{view.operations[0].name}"
    return ""
