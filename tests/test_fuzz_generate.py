"""Seeded property tests of the generator: random small IRs in, a valid Python SDK out.

The IRs are built directly (hypothesis strategies over `generator.ir`), not read from docs, so
every corner of the IR reaches the view, the templates and the formatter: names that are
keywords, dunders, builtins, the generator's own helper names, digits first, unicode or
empty; type trees with refs (declared or dangling), lists, maps, unions and literals; text
with quotes, backslashes, template syntax, control characters and code payloads.

For every IR, `generate()` must return (diagnostics are fine, an exception is a finding),
every generated module must compile, and the package must import (its payload texts raise
if they ever run as code). Three fixed IRs also go through `mypy --strict`.

DOCS2SDK_FUZZ_EXAMPLES sets the number of examples (default 40); a long run:
    DOCS2SDK_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_generate.py -k every_ir
"""

from __future__ import annotations

import importlib
import keyword
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from generator import ir
from generator.format import FormatError
from generator.generate import generate

EXAMPLES = int(os.environ.get("DOCS2SDK_FUZZ_EXAMPLES", "40"))
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
    return st.recursive(
        st.one_of(*leaves),
        lambda inner: st.one_of(inner.map(ir.list_of), inner.map(ir.map_of),
                                st.lists(inner, min_size=1, max_size=3).map(lambda v: ir.union_of(*v))),
        max_leaves=5,
    )


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
    models = tuple(ir.Model(name, ns, tuple(draw(st.lists(_fields(types), max_size=5))), SPAN,
                            description=draw(texts()), deprecated=draw(st.booleans()))
                   for ns, name in declared["model"])
    enums = tuple(_enum(draw, ns, name) for ns, name in declared["enum"])
    unions = tuple(ir.Union(name, ns, tuple(draw(st.lists(types, min_size=1, max_size=3))), SPAN,
                            description=draw(texts()), discriminator=draw(st.sampled_from(["", "type", "kind"])))
                   for ns, name in declared["union"])
    model_refs = [ir.ref(name, ns) for ns, name in declared["model"]] or [ir.prim("any")]
    groups = tuple(draw(st.lists(_groups(types, model_refs), max_size=3)))
    unresolved = tuple(ir.Unresolved(name, ns, (SPAN,)) for ns, name in dangling)
    return ir.Schema(api=draw(_apis()), models=models, enums=enums, unions=unions, groups=groups,
                     unresolved=unresolved)


def _fields(types: st.SearchStrategy[ir.TypeRef]) -> st.SearchStrategy[ir.Field]:
    return st.builds(ir.Field, name=names(), type=types, required=st.booleans(), source=st.just(SPAN),
                     wire_name=st.one_of(st.just(""), names()), nullable=st.booleans(), description=texts(),
                     example=texts(), deprecated=st.booleans())


def _enum(draw: st.DrawFn, ns: str, name: str) -> ir.Enum:
    numeric = draw(st.booleans())
    values = st.integers(-5, 5) if numeric else st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8))
    members = draw(st.lists(st.builds(ir.EnumMember, name=names(), value=values, source=st.just(SPAN),
                                      deprecated=st.booleans()), max_size=4))
    return ir.Enum(name, ns, "integer" if numeric else "string", tuple(members), SPAN, description=draw(texts()))


STATUSES = st.one_of(st.sampled_from(["404", "4XX", "5XX", "400-600", "default", "422", "200", "2XX", "", "4xx"]),
                     st.text(max_size=6))


def _operations(types: st.SearchStrategy[ir.TypeRef], model_refs: list[ir.TypeRef]) -> st.SearchStrategy[ir.Operation]:
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


def _groups(types: st.SearchStrategy[ir.TypeRef], model_refs: list[ir.TypeRef]) -> st.SearchStrategy[ir.Group]:
    return st.builds(ir.Group, name=st.one_of(st.just(""), names(), st.just("a.b")), source=st.just(SPAN),
                     description=texts(), operations=st.lists(_operations(types, model_refs), max_size=3).map(tuple))


def _apis() -> st.SearchStrategy[ir.Api]:
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


# -- what the fuzzing found (each fixed; kept as fixed examples) ---------------------------


def _field(name: str, t: ir.TypeRef, required: bool = True) -> ir.Field:
    return ir.Field(name, t, required, SPAN)


def _api(package: str, **kw: Any) -> ir.Api:
    return ir.Api(title="T", package=package, sdk_class=kw.pop("sdk_class", "Client"), **kw)


def _op(name: str, **kw: Any) -> ir.Operation:
    return ir.Operation(name, SPAN, route=kw.pop("route", ir.Route("GET", "/x")), **kw)


def _param(name: str, t: ir.TypeRef = ir.prim("string")) -> ir.Parameter:
    return ir.Parameter(name, t, False, SPAN)


STR, ENUM_A = ir.prim("string"), (ir.EnumMember("A", "a", SPAN),)
FOUND: dict[str, ir.Schema] = {
    # view_text.docstring: a description of `"`, `"""` or ending in `"""` closed the docstring early.
    "docstring-quotes": ir.Schema(api=_api("found_a"), models=(
        ir.Model("Q1", "shared", (), SPAN, description='"""'), ir.Model("Q2", "shared", (), SPAN, description='"'),
        ir.Model("Q3", "shared", (_field("f", STR),), SPAN, description='a"""'),)),
    # view_ops: two parameters with one Python name (a repeated row, `a-b` and `a_b`) -> duplicate argument.
    "duplicate-parameters": ir.Schema(api=_api("found_b"), groups=(ir.Group("g", SPAN, operations=(
        _op("op", parameters=(_param("x"), _param("x"), _param("a-b"), _param("a_b"), _param("Timeout"))),)),)),
    # view._package: a keyword (`import`) or a module the SDK imports (`enum`, `json`) as package name.
    "package-keyword": ir.Schema(api=_api("import")),
    "package-shadows-stdlib": ir.Schema(api=_api("enum"), enums=(ir.Enum("E", "shared", "string", ENUM_A, SPAN),)),
    # view_models: fields named like the attributes every model class defines (`_wire_keys`, `mro`...).
    "field-class-attributes": ir.Schema(api=_api("found_c"), models=(ir.Model("M", "shared", (
        _field("x", STR, False), _field("_required_keys", STR), _field("_wire_keys", STR), _field("mro", STR),
        _field("_httpx", STR), _field("_t", STR), _field("d", STR)), SPAN),)),
    # view_sdk: server variables ('' or `a b`) and example globals used raw as keyword names.
    "server-variables": ir.Schema(api=_api("found_d", servers=(ir.Server(
        "https://{region}.example/{v}", SPAN, variables=(("", ""), ("a b", "1"), ("class", "c"), ("_rt", "r"))),))),
    # view_types: classes named like the module aliases (`_rt`, `_enum`) or an enum's `_M_` table.
    "class-names-vs-aliases": ir.Schema(api=_api("found_e", sdk_class="_rt"), models=tuple(
        ir.Model(n, "shared", (_field("a", ir.prim("date")),), SPAN) for n in ("_rt", "_enum", "_dt", "_t", "_M_E")),
        enums=(ir.Enum("E", "shared", "string", ENUM_A, SPAN),)),
    # view_types.Symbols: a model page and an enum page with one title in one namespace.
    "same-name-two-kinds": ir.Schema(api=_api("found_f"), models=(
        ir.Model("Foo", "shared", (_field("a", STR),), SPAN),
        ir.Model("User", "shared", (_field("f", ir.ref("Foo", "shared")),), SPAN)),
        enums=(ir.Enum("Foo", "shared", "string", ENUM_A, SPAN),), unions=(ir.Union("Foo", "shared", (STR,), SPAN),)),
    # view_models._reexports: an enum (not a model) named APIError in the errors namespace.
    "errors-reexport-vs-enum": ir.Schema(api=_api("found_g"), enums=(
        ir.Enum("APIError", "errors", "string", ENUM_A, SPAN),)),
    # view.prepare: a union listing itself; an enum member named `object`.
    "union-of-itself": ir.Schema(api=_api("found_h"), unions=(ir.Union("U", "shared", (
        ir.union_of(ir.ref("U", "shared"), ir.prim("integer")), STR), SPAN),), enums=(
        ir.Enum("E", "shared", "integer", (ir.EnumMember("object", 3, SPAN),), SPAN),)),
    # view.prepare: an operation's response model that is also data (an error, a field) -> Response class.
    "response-model-is-data": ir.Schema(api=_api("found_i"), models=(
        ir.Model("Thing", "shared", (_field("a", STR),), SPAN),), groups=(ir.Group("g", SPAN, operations=(
            _op("get", response=ir.ref("Thing", "shared"), errors=(ir.ErrorCase(ir.ref("Thing", "shared"), "4XX", SPAN),)),
            _op("list", response_fields=(ir.ResponseField("things", ir.list_of(ir.ref("Thing", "shared")), SPAN),))),
        ),)),
    # view_codec: one walrus temporary for a datetime test and then a bytes test (mypy).
    "union-temporaries": ir.Schema(api=_api("found_j"), unions=(ir.Union("When", "shared", (
        ir.prim("datetime"), ir.prim("bytes"), ir.prim("date"), ir.prim("decimal")), SPAN),)),
}


@pytest.mark.parametrize("case", list(FOUND))
def test_found_cases_generate_an_importable_sdk(case: str) -> None:
    """The IRs the fuzzing found problems with, each kept as a fixed example."""
    result = generate_or_fail(FOUND[case])
    import_package(result.files, check_files(result.files))


# -- the properties -----------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Formatted blocks of random IRs go to a throw-away cache, not the user's."""
    before = os.environ.get("DOCS2SDK_CACHE_DIR")
    os.environ["DOCS2SDK_CACHE_DIR"] = str(tmp_path_factory.mktemp("fuzz-cache"))
    yield
    if before is None:
        del os.environ["DOCS2SDK_CACHE_DIR"]
    else:
        os.environ["DOCS2SDK_CACHE_DIR"] = before


def generate_or_fail(schema: ir.Schema) -> Any:
    """generate(); invalid generated code fails the example with the file, line and message.

    (FormatError is a frozen dataclass: re-raised through hypothesis' context managers it would
    turn into FrozenInstanceError, so it is reported as an AssertionError right here.)"""
    try:
        return generate(schema)
    except FormatError as exc:
        raise AssertionError(f"generate() produced invalid code: {exc}") from None


def _package_of(files: dict[str, str]) -> str:
    packages = {path.split("/")[0] for path in files if path.endswith("/__init__.py") and path.count("/") == 1}
    assert len(packages) == 1, packages
    return packages.pop()


def check_files(files: dict[str, str]) -> str:
    """Paths stay inside OUT, every module compiles, pyproject.toml parses; the package name."""
    for path, text in files.items():
        parts = path.split("/")
        assert not path.startswith("/") and ".." not in parts and "" not in parts, path
        if path.endswith(".py"):
            compile(text, path, "exec", dont_inherit=True)
    tomllib.loads(files["pyproject.toml"])
    package = _package_of(files)
    assert package.isidentifier() and not keyword.iskeyword(package), package
    return package


def import_package(files: dict[str, str], package: str) -> None:
    """Write the SDK to a temporary folder and import all its modules in this process."""
    with tempfile.TemporaryDirectory(prefix="fuzz-sdk-") as out:
        for path, text in files.items():
            target = Path(out) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        sys.path.insert(0, out)
        try:
            for path in sorted(p for p in files if p.endswith(".py")):
                module = path[:-3].replace("/", ".").removesuffix(".__init__")
                importlib.import_module(module)
        finally:
            sys.path.remove(out)
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]


@settings(derandomize=True, deadline=None, max_examples=EXAMPLES, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(schemas())
def test_every_ir_generates_an_importable_sdk(schema: ir.Schema) -> None:
    """generate() returns (never raises), every module compiles, the package imports."""
    result = generate_or_fail(schema)
    package = check_files(result.files)
    import_package(result.files, package)


def _fixed_schemas() -> list[ir.Schema]:
    """Three IRs from the strategy, the same on every run (seeded), given distinct package names."""
    found: list[ir.Schema] = []

    @seed(20240601)
    @settings(deadline=None, max_examples=3, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(schemas())
    def collect(schema: ir.Schema) -> None:
        if len(found) < 3:
            found.append(schema)

    collect()
    return [ir.Schema(**{**{f: getattr(s, f) for f in ("models", "enums", "unions", "groups", "unresolved")},
                         "api": _renamed(s.api, f"fuzz_sdk_{i}")}) for i, s in enumerate(found)]


def _renamed(api: ir.Api, package: str) -> ir.Api:
    from dataclasses import replace

    return replace(api, package=package)


def test_fixed_sample_passes_mypy_strict(tmp_path: Path) -> None:
    """Three seeded random IRs and the FOUND cases: the generated packages pass `mypy --strict` (one run)."""
    packages = []
    for schema in _fixed_schemas() + list(FOUND.values()):
        files = generate_or_fail(schema).files
        package = check_files(files)
        packages.append(package)
        for path, text in files.items():
            if path.split("/")[0] == package:
                target = tmp_path / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    args: list[Any] = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for package in packages:
        args += ["-p", package]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
