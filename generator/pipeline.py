"""The schema pipeline: discover -> read -> extract -> merge -> resolve -> configure -> IR."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

from . import ir
from .config import Config
from .diagnostics import Diagnostic, error, has_errors, note, quoted, sorted_unique, warning
from .discover import DocsTree, discover
from .extract import PageFacts
from .merge import merge
from .paging import configure_transport
from .naming import class_name_identifier, module_identifier, to_pascal, to_snake, wire_name
from .pages import PageStore, extract_tree
from .resolve import Definitions, RefLinker, drop_empty_groups, link_model, link_operation, link_union


def _priority(facts: list[tuple[PageFacts, bool, int]]) -> list[tuple[PageFacts, bool]]:
    """Python pages first (the SDK is Python), then in DOCS order, then by file."""
    ordered = sorted(facts, key=lambda f: (f[0].dialect != "python", f[2], f[0].file))
    return [(f, loose) for f, loose, _ in ordered]


def _api(facts: Iterable[PageFacts], dialects: tuple[str, ...]) -> ir.Api:
    """API facts from README pages, falling back to facts seen in examples."""
    api = ir.Api(dialects=dialects)
    for page in facts:
        if page.api is None:
            continue
        found = page.api
        api = replace(api, title=api.title or found.title, package=api.package or found.package,
                      sdk_class=api.sdk_class or found.sdk_class, servers=api.servers or found.servers,
                      auth=api.auth or found.auth,
                      retries=found.retries if api.retries.strategy == "none" else api.retries,
                      source=api.source if api.source.file else found.source)
    return api


def _cleaned(text: str, name: str, usual: str, what: str, where: ir.Span, diags: list[Diagnostic]) -> None:
    """N202 when the name taken from `text` is neither `text` nor its `usual` form: it had to be cleaned."""
    if text and name not in (text, usual):
        diags.append(note("N202", f"{what} {quoted(text)} is not a usable identifier; {name!r} is used", where.file,
                          where.line, f"set {what} in docs2sdk.toml"))


def _names(api: ir.Api, config: Config, diags: list[Diagnostic]) -> tuple[str, str]:
    """Package and SDK class: configuration, else the docs, else derived; always ASCII identifiers."""
    text = config.package or api.package or api.title
    package = module_identifier(text) or "sdk"
    # `My-API` -> `my_api` is the expected derivation; anything more (`日本`, `1st`) is noted.
    _cleaned(text, package, to_snake(text.replace("-", "_")), "package",
             ir.Span(config.source, 0) if config.package else api.source, diags)
    stated_class = config.sdk_class or api.sdk_class
    sdk_class = class_name_identifier(stated_class) or class_name_identifier(to_pascal(package)) or "SDK"
    _cleaned(stated_class, sdk_class, stated_class, "sdk_class",
             ir.Span(config.source, 0) if config.sdk_class else api.source, diags)
    if not stated_class:
        diags.append(note("N201", f"no example constructs the SDK; class name {sdk_class!r} was derived", "", 0,
                          "set sdk_class in docs2sdk.toml"))
    return package, sdk_class


def _configure_api(api: ir.Api, config: Config, diags: list[Diagnostic]) -> ir.Api:
    """Configuration wins over docs; missing names are derived and said so."""
    package, sdk_class = _names(api, config, diags)
    # Configured servers come first (the default); the documented ones stay selectable after them.
    configured = tuple(ir.Server(url=u, source=ir.Span(config.source, 0)) for u in config.servers)
    servers = configured + tuple(s for s in api.servers if s.url not in config.servers)
    auth = api.auth
    if config.auth:
        values = dict(config.auth)
        auth = (ir.AuthScheme(name="config", scheme=values.get("scheme", "other"), source=ir.Span(config.source, 0),
                              header=values.get("header", ""), prefix=values.get("prefix", "")),)
    retries = api.retries
    if config.retries or config.retry_non_idempotent:
        retries = ir.Retries.from_dict({**retries.to_dict(), **dict(config.retries),
                                        "retry_non_idempotent": config.retry_non_idempotent})  # [retries] or top level
    naming = config.naming or "camel"
    if not config.naming:
        diags.append(note("N301", "JSON wire names are the camelCase form of the documented names (assumed)", "", 0,
                          "set naming = \"camel\" | \"snake\" | \"as-documented\" and [wire_names] in docs2sdk.toml"))
    return replace(api, package=package, sdk_class=sdk_class, servers=servers, auth=auth, retries=retries, naming=naming)


def _configure_models(models: Iterable[ir.Model], config: Config, naming: str,
                      diags: list[Diagnostic]) -> list[ir.Model]:
    """Set every field's wire name: per-field override, else the naming rule; collisions are E204."""
    out = []
    for model in models:
        fields = tuple(_with_wire_name(f, config.wire_name(model.name, f.name) or wire_name(f.name, naming))
                       for f in model.fields)
        diags.extend(_wire_collisions(model.name, fields))
        out.append(model if all(a is b for a, b in zip(fields, model.fields)) else replace(model, fields=fields))
    return out


def _with_wire_name(field: ir.Field, wire: str) -> ir.Field:
    return field if field.wire_name == wire else replace(field, wire_name=wire)


def _wire_collisions(model: str, fields: Iterable[ir.Field]) -> list[Diagnostic]:
    """E204 at each field whose JSON wire name an earlier field of the model already has."""
    first: dict[str, ir.Field] = {}
    found = []
    for f in fields:
        other = first.setdefault(f.wire_name, f)
        if other is not f:
            found.append(error("E204", f"fields {quoted(other.name)} and {quoted(f.name)} of {quoted(model)} have the "
                                       f"same JSON wire name {quoted(f.wire_name)} (the first is at line {other.source.line})",
                               f.source.file, f.source.line,
                               f"set one of them under [wire_names] in docs2sdk.toml ({model}.{f.name} = \"...\")"))
    return found


def _configure_routes(groups: list[ir.Group], config: Config, diags: list[Diagnostic]) -> list[ir.Group]:
    """Attach configured routes; configured routes that match no operation are W302."""
    used = set()
    out = []
    for group in groups:
        ops = []
        for op in group.operations:
            found = config.route(group.name, op.name)
            if found:
                used.add(f"{group.name}.{op.name}" if group.name else op.name)
            ops.append(replace(op, route=ir.Route(*found) if found else None))
        out.append(replace(group, operations=tuple(ops)))
    for key, _method, _path in config.routes:
        if key not in used:
            diags.append(warning("W302", f"configured route {key!r} names no documented operation", config.source, 0,
                                 "keys are 'group.operation' with the documented names"))
    return out


def build_schema(paths: list[str], config: Config, *, store: Optional[PageStore] = None, workers: int = 1,
                 trees: Optional[list[DocsTree]] = None) -> ir.Schema:
    """Run the whole schema pipeline on DOCS paths (`trees`: DOCS discovered already).

    `store` keeps each page's facts between runs (`page_cache`); with `workers` > 1 many pages
    are read in that many processes. Neither changes the result.
    """
    all_facts: list[tuple[PageFacts, bool, int]] = []
    diags: list[Diagnostic] = []
    for index, tree in enumerate(trees if trees is not None else discover(paths)):
        facts, found = extract_tree(tree, store=store, workers=workers)
        diags.extend(found)
        all_facts.extend((f, tree.loose, index) for f in facts)
        diags.extend(d for f in facts for d in f.diagnostics)
    ordered = _priority(all_facts)
    merged = merge(ordered)
    diags.extend(merged.diagnostics)
    dialects = tuple(sorted({f.dialect for f, _ in ordered if f.kind != "skipped"}))
    api = _configure_api(_api((f for f, _ in ordered), dialects), config, diags)
    linker = RefLinker(Definitions.of(merged.models, merged.enums, merged.unions))
    models = _configure_models((link_model(m, linker) for m in merged.models), config, api.naming, diags)
    by_key = {(m.namespace, m.name): m for m in models}
    groups = [replace(g, operations=tuple(link_operation(o, linker, by_key) for o in g.operations)) for g in merged.groups]
    groups, empty = drop_empty_groups(groups)
    diags.extend(empty)
    groups = configure_transport(_configure_routes(groups, config, diags), by_key, config, diags)
    unions = [link_union(u, linker) for u in merged.unions]
    unresolved, missing = linker.report()
    diags.extend(missing)
    if not ordered and not has_errors(diags):  # an unreadable page (E002) or a bad path (E001) says why already
        diags.append(error("E001", "no pages were read", "", 0, "pass a docs tree or markdown pages"))
    return ir.Schema(
        api=api,
        models=tuple(sorted(models, key=lambda m: (m.namespace, m.name))),
        enums=tuple(sorted((e for e in merged.enums), key=lambda e: (e.namespace, e.name))),
        unions=tuple(sorted(unions, key=lambda u: (u.namespace, u.name))),
        groups=tuple(sorted(groups, key=lambda g: g.name)),
        unresolved=unresolved,
        diagnostics=sorted_unique(diags),
    )
