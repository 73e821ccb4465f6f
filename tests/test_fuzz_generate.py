"""Seeded property tests of the generator: random small IRs in, a valid Python SDK out.

The IRs are built directly (hypothesis strategies over `generator.ir`), not read from docs, so
every corner of the IR reaches the view, the templates and the formatter: names that are
keywords, dunders, builtins, the generator's own helper names, digits first, unicode or
empty; type trees with refs (declared or dangling), lists, maps, unions and literals; text
with quotes, backslashes, template syntax, control characters and code payloads.

For every IR, `generate()` must return (diagnostics are fine, an exception is a finding),
every generated module must compile, and the package must import (its payload texts raise
if they ever run as code). Three seeded IRs and the cases the fuzzing found (FOUND, each
fixed) also go through `mypy --strict`. The strategies are in `ir_strategies.py`.

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
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import black
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings

from generator import ir
from generator.format import MODE, FormatError
from generator.generate import generate
from ir_strategies import SPAN, schemas

EXAMPLES = int(os.environ.get("DOCS2SDK_FUZZ_EXAMPLES", "40"))


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
            _op("get", response=ir.ref("Thing", "shared"),
                errors=(ir.ErrorCase(ir.ref("Thing", "shared"), "4XX", SPAN),)),
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
    """generate() returns (never raises), every module compiles, the package imports, and black
    (the arbiter of the layout the views emit) leaves every module unchanged."""
    result = generate_or_fail(schema)
    package = check_files(result.files)
    import_package(result.files, package)
    changed = [path for path, text in sorted(result.files.items())
               if path.endswith(".py") and black.format_str(text, mode=MODE) != text]
    assert not changed, f"black would change {changed}"


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
