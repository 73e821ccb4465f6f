"""Hypothesis strategies over the IR (`generator.ir`): small schemas with hostile names and text.

Names include keywords, dunders, builtins, the generator's own helper names, digits first,
unicode and empty ones; type trees have refs (declared or dangling), lists, maps, unions
and literals; text carries quotes, backslashes, template syntax, control characters and a
payload that raises SystemExit("INJECTED") if it is ever run as code.
"""

from __future__ import annotations

import keyword

from hypothesis import strategies as st

from generator import ir

SPAN = ir.Span("docs/fuzz.md", 1)
PAYLOAD = '"""; raise SystemExit("INJECTED"); """'

# Names the generated code itself uses or that Python gives a meaning: each must be cleaned or kept apart.
ODD_NAMES = sorted(set(keyword.kwlist) | set(keyword.softkwlist) | {
    "__init__", "__class__", "__slots__", "__dict__", "__import__", "__name__", "__all__", "self", "cls", "ctx",
    "request", "_rt", "_t", "_dc", "_dt", "_enum", "_decimal", "_httpx", "utils", "models", "httpx", "typing",
    "dataclasses", "datetime", "decimal", "enum", "str", "int", "float", "bool", "bytes", "list", "dict", "type",
    "object", "Any", "from_dict", "to_dict", "to_json", "from_json", "from_python_dict", "additional_properties",
    "raw_response", "status_code", "content_type", "_wire_keys", "_required_keys", "_body", "_fill", "_raw",
    "Model", "Response", "APIError", "SDKError", "Security", "RetryConfig", "retries", "timeout", "server_url",
    "server_idx", "client", "async_client", "close", "aclose", "_e", "_g", "_o", "_v", "_k", "d", "UNKNOWN",
    "value", "name", "mro", "_missing_", "_value_", "_name_", "shared", "operations", "errors", "sdk",
})
ODD_SPELLINGS = ["", "_", "__", "1st", "2", "a-b", "a b", "a.b", "a/b", "Ünïcödé", "名前", "𝔘𝔫𝔦", "x" * 80,
                 "CamelCase", "snake_case", "SCREAMING_CASE", "$ref", "@type", "a\u200bb", "ﬁle", "İ"]
HOSTILE_TEXT = ['"""', "'''", "\\", '\\"\\"\\"', "{{ 7*7 }}", "{% raw %}", "{#", "\x00", "\r", "\n", "\u2028",
                "\x1b[31m", "</script>", PAYLOAD, "# not a comment", "%s {0} {}", "\t", " trailing \\", "`"]


def names() -> st.SearchStrategy[str]:
    """Documented names: odd ones, identifiers, and any short text."""
    return st.one_of(
        st.sampled_from(ODD_NAMES), st.sampled_from(ODD_SPELLINGS),
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=10),
    )


def texts() -> st.SearchStrategy[str]:
    """Descriptions and examples: hostile fragments joined, or any text."""
    return st.one_of(
        st.lists(st.sampled_from(HOSTILE_TEXT), max_size=4).map(" ".join),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    )


PRIMITIVES = st.sampled_from(ir.PRIMITIVE_KINDS).map(ir.prim)
LITERALS = st.one_of(st.text(max_size=8), st.integers(-10, 10), st.booleans(), st.none()).map(
    lambda v: ir.TypeRef(kind="literal", value=v))


def type_trees(refs: list[tuple[str, str]]) -> st.SearchStrategy[ir.TypeRef]:
    """Type trees over the primitives, literals and refs to `refs` (namespace, name)."""
    leaves: list[st.SearchStrategy[ir.TypeRef]] = [PRIMITIVES, LITERALS]
    if refs:
        leaves.append(st.sampled_from(refs).map(lambda r: ir.ref(r[1], r[0])))
    return st.recursive(st.one_of(*leaves), _nested, max_leaves=5)


def _nested(inner: st.SearchStrategy[ir.TypeRef]) -> st.SearchStrategy[ir.TypeRef]:
    """Lists, maps and unions of `inner`."""
    unions = st.lists(inner, min_size=1, max_size=3).map(lambda v: ir.union_of(*v))
    return st.one_of(inner.map(ir.list_of), inner.map(ir.map_of), unions)


NAMESPACES = st.sampled_from(["shared", "operations", "errors", "", "utils", "Shared", "weird ns", "class"])


@st.composite
def schemas(draw: st.DrawFn) -> ir.Schema:
    """A small IR: models, enums and unions that refer to each other, groups of operations, API facts."""
    declared = {
        kind: draw(st.lists(st.tuples(NAMESPACES, names()), max_size=3))
        for kind in ("model", "enum", "union")
    }
    dangling = draw(st.lists(st.tuples(NAMESPACES, names()), max_size=1))
    refs = [r for found in declared.values() for r in found] + dangling
    types = type_trees(refs)
    models = tuple(ir.Model(name, ns, tuple(draw(st.lists(field_values(types), max_size=5))), SPAN,
                            description=draw(texts()), deprecated=draw(st.booleans()))
                   for ns, name in declared["model"])
    enums = tuple(enum_of(draw, ns, name) for ns, name in declared["enum"])
    unions = tuple(ir.Union(name, ns, tuple(draw(st.lists(types, min_size=1, max_size=3))), SPAN,
                            description=draw(texts()), discriminator=draw(st.sampled_from(["", "type", "kind"])))
                   for ns, name in declared["union"])
    model_refs = [ir.ref(name, ns) for ns, name in declared["model"]] or [ir.prim("any")]
    groups = tuple(draw(st.lists(group_values(types, model_refs), max_size=3)))
    unresolved = tuple(ir.Unresolved(name, ns, (SPAN,)) for ns, name in dangling)
    return ir.Schema(api=draw(api_values()), models=models, enums=enums, unions=unions, groups=groups,
                     unresolved=unresolved)


def field_values(types: st.SearchStrategy[ir.TypeRef]) -> st.SearchStrategy[ir.Field]:
    """Fields of a model."""
    return st.builds(ir.Field, name=names(), type=types, required=st.booleans(), source=st.just(SPAN),
                     wire_name=st.one_of(st.just(""), names()), nullable=st.booleans(), description=texts(),
                     example=texts(), deprecated=st.booleans())


def enum_of(draw: st.DrawFn, ns: str, name: str) -> ir.Enum:
    """A string or integer enum with a few members."""
    numeric = draw(st.booleans())
    values = st.integers(-5, 5) if numeric else st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8))
    members = draw(st.lists(st.builds(ir.EnumMember, name=names(), value=values, source=st.just(SPAN),
                                      deprecated=st.booleans()), max_size=4))
    return ir.Enum(name, ns, "integer" if numeric else "string", tuple(members), SPAN, description=draw(texts()))


STATUSES = st.one_of(st.sampled_from(["404", "4XX", "5XX", "400-600", "default", "422", "200", "2XX", "", "4xx"]),
                     st.text(max_size=6))


def operation_values(types: st.SearchStrategy[ir.TypeRef],
                     model_refs: list[ir.TypeRef]) -> st.SearchStrategy[ir.Operation]:
    """Operations with parameters, errors, body fields, routes and examples."""
    params = st.builds(ir.Parameter, name=names(), type=types, required=st.booleans(), source=st.just(SPAN),
                       description=texts(), example=texts())
    errors = st.builds(ir.ErrorCase, type=st.sampled_from(model_refs), status=STATUSES, source=st.just(SPAN),
                       content_type=st.sampled_from(["", "application/json", "text/plain", "*/*"]))
    response_fields = st.builds(ir.ResponseField, name=names(), type=st.one_of(st.none(), types),
                                source=st.just(SPAN), status=STATUSES, description=texts())
    routes = st.builds(ir.Route, method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]),
                       path=st.lists(st.one_of(names(), names().map(lambda n: "{" + n + "}")), max_size=3).map(
                           lambda parts: "/" + "/".join(parts)))
    examples = st.builds(ir.Example, language=st.sampled_from(["python", "typescript", ""]), code=texts(),
                         source=st.just(SPAN))
    return st.builds(
        ir.Operation, name=names(), source=st.just(SPAN), summary=texts(), description=texts(),
        request=st.one_of(st.none(), st.sampled_from(model_refs), types),
        response=st.one_of(st.none(), st.sampled_from(model_refs)),
        response_fields=st.lists(response_fields, max_size=2).map(tuple),
        parameters=st.lists(params, max_size=3).map(tuple), errors=st.lists(errors, max_size=2).map(tuple),
        route=st.one_of(st.none(), routes), examples=st.lists(examples, max_size=1).map(tuple),
        deprecated=st.booleans())


def group_values(types: st.SearchStrategy[ir.TypeRef],
                 model_refs: list[ir.TypeRef]) -> st.SearchStrategy[ir.Group]:
    """Groups (the root one too, and a dotted sub-group) of operations."""
    return st.builds(ir.Group, name=st.one_of(st.just(""), names(), st.just("a.b")), source=st.just(SPAN),
                     description=texts(),
                     operations=st.lists(operation_values(types, model_refs), max_size=3).map(tuple))


def api_values() -> st.SearchStrategy[ir.Api]:
    """API facts: title, package, SDK class, servers with variables, auth, retries, naming."""
    servers = st.builds(ir.Server, url=st.one_of(texts(), st.just("https://{region}.example/{v}")),
                        source=st.just(SPAN), description=texts(),
                        variables=st.lists(st.tuples(names(), texts()), max_size=2).map(tuple))
    auth = st.builds(ir.AuthScheme, name=names(), scheme=st.sampled_from(["basic", "bearer", "api_key", "oauth2",
                                                                          "other", ""]),
                     source=st.just(SPAN), header=st.one_of(st.just("Authorization"), names()),
                     prefix=st.one_of(st.just(""), texts()), description=texts())
    retries = st.builds(ir.Retries, strategy=st.sampled_from(["none", "backoff"]),
                        status_codes=st.lists(st.sampled_from(["429", "5XX", "503", "4XX"]), max_size=2).map(tuple),
                        retry_connection_errors=st.booleans())
    return st.builds(ir.Api, title=texts(), description=texts(), package=names(), sdk_class=names(),
                     servers=st.lists(servers, max_size=2).map(tuple), auth=st.lists(auth, max_size=2).map(tuple),
                     retries=retries, naming=st.sampled_from(["camel", "snake", "as-documented"]))

