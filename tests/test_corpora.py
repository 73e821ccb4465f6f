"""Fact tests on the real docs corpora (read from ../shared/corpora; skipped where absent)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from conftest import SEEDS, assert_valid_ir, corpus, schema_of
from generator import ir
from generator.diagnostics import CODES

ALL_CORPORA = [
    "airbyte-python", "airbyte-typescript", "airbyte-php", "airbyte-java", "airbyte-go",
    "airbyte-python-2023-05", "featuretest-python-2023-11", "featuretest-typescript-2023-11",
    "speakeasy-python-2025-01",
]


def model(schema: ir.Schema, name: str) -> ir.Model:
    """The model called `name` (fails the test when absent)."""
    found = [m for m in schema.models if m.name == name]
    assert found, f"no model {name!r}"
    return found[0]


def field(schema: ir.Schema, model_name: str, field_name: str) -> ir.Field:
    """A field of a model."""
    found = [f for f in model(schema, model_name).fields if f.name == field_name]
    assert found, f"no field {model_name}.{field_name}"
    return found[0]


def operations(schema: ir.Schema) -> list[tuple[str, ir.Operation]]:
    """(group, operation) for every operation."""
    return [(g.name, o) for g in schema.groups for o in g.operations]


def errors_of(schema: ir.Schema) -> list[str]:
    """Rendered error diagnostics."""
    return [d.render() for d in schema.diagnostics if d.severity.value == "error"]


@pytest.mark.parametrize("name", ALL_CORPORA)
def test_every_corpus_reads_without_errors_into_a_valid_ir(name: str) -> None:
    """No corpus produces an error diagnostic, and its IR matches the shipped JSON Schema."""
    schema = schema_of(corpus(name))
    assert errors_of(schema) == []
    assert_valid_ir(schema.to_dict())
    assert {d.code for d in schema.diagnostics} <= set(CODES), "every emitted code is documented in CODES"


def test_airbyte_python_counts() -> None:
    """266 models (164 shared, 102 operations), 32 enums with 103 members, 21 groups, 108 operations."""
    schema = schema_of(corpus("airbyte-python"))
    assert Counter(m.namespace for m in schema.models) == {"shared": 164, "operations": 102}
    assert len(schema.enums) == 32
    assert sum(len(e.members) for e in schema.enums) == 103
    assert len(schema.groups) == 21
    ops = operations(schema)
    assert len(ops) == 108
    assert all(op.response is not None and op.response.kind == "ref" for _, op in ops)
    # Operations without a request are exactly those whose docs have no Parameters table.
    assert sorted(op.name for _, op in ops if op.request is None) == [
        "get_health_check", "get_open_api_spec", "list_destination_definitions",
        "list_latest_destination_definitions", "list_latest_source_definitions",
        "list_source_definitions", "list_workspaces", "web_backend_check_updates",
        "web_backend_list_geographies",
    ]
    assert schema.unresolved == ()


def test_airbyte_python_specific_facts() -> None:
    """Spot facts: a required string, an enum's members and values, a response's body fields."""
    schema = schema_of(corpus("airbyte-python"))
    conn = field(schema, "WebBackendConnectionRead", "connection_id")
    assert (conn.type, conn.required, conn.nullable) == (ir.prim("string"), True, False)
    geo = field(schema, "WebBackendConnectionRead", "geography")
    assert (geo.type, geo.required) == (ir.ref("Geography", "shared"), False)
    geography = [e for e in schema.enums if e.name == "Geography"][0]
    assert [(m.name, m.value) for m in geography.members] == [("AUTO", "auto"), ("US", "us"), ("EU", "eu")]
    assert geography.value_type == "string"
    assert field(schema, "AirbyteCatalog", "streams").type == ir.list_of(ir.ref("AirbyteStreamAndConfiguration", "shared"))
    assert field(schema, "AirbyteStreamConfiguration", "primary_key").type == ir.list_of(ir.list_of(ir.prim("string")))
    # Python docs label this date field `datetime`; the IR holds the true type.
    assert field(schema, "SourceDefinitionRead", "release_date").type == ir.prim("date")
    op = dict((o.name, o) for _, o in operations(schema))["check_connection_to_destination"]
    assert op.request == ir.ref("DestinationIDRequestBody", "shared")
    assert [r.name for r in op.response_fields] == [
        "check_connection_read", "invalid_input_exception_info", "not_found_known_exception_info"]


def _normalised(schema: ir.Schema) -> dict[str, Any]:
    """A dialect-blind view of an IR: names normalised, types as exact signatures."""
    from generator.dialects.base import normalize_name as n

    def sig(t: ir.TypeRef | None) -> str:
        if t is None:
            return "-"
        if t.kind == "ref":
            return f"ref:{n(t.name)}"
        inner = t.items or t.values
        return f"{t.kind}[{sig(inner)}]" if inner else t.kind

    return {
        "models": {n(m.name): {n(f.name): (sig(f.type), f.required) for f in m.fields} for m in schema.models},
        "enums": {n(e.name): sorted(str(x.value) for x in e.members) for e in schema.enums},
        "operations": {(n(g), n(o.name)): (sig(o.request), sig(o.response)) for g, o in operations(schema)},
    }


# Differences that come from the docs themselves, per dialect: (python type, dialect type) pairs.
KNOWN_DIALECT_FACTS = {
    "typescript": {("integer", "number")},  # TypeScript documents every integer as `number`
    "php": {("date", "datetime"),  # PHP documents dates as \DateTime
            ("bytes", "string")},  # PHP has no bytes type; binary is `string`
    "java": set(),
    "go": set(),
}


@pytest.mark.parametrize("dialect", sorted(KNOWN_DIALECT_FACTS))
def test_airbyte_dialects_agree_with_python(dialect: str) -> None:
    """The same API in five dialects yields the same models, enums, fields, types, flags and operations."""
    python = _normalised(schema_of(corpus("airbyte-python")))
    other = _normalised(schema_of(corpus(f"airbyte-{dialect}")))
    assert python["enums"] == other["enums"]
    assert python["operations"] == other["operations"]
    assert python["models"].keys() == other["models"].keys()
    unexplained = []
    for name, fields in python["models"].items():
        assert fields.keys() == other["models"][name].keys(), name
        for fname, (ptype, preq) in fields.items():
            otype, oreq = other["models"][name][fname]
            if preq != oreq or (ptype != otype and (ptype, otype) not in KNOWN_DIALECT_FACTS[dialect]):
                unexplained.append(f"{name}.{fname}: python {ptype} required={preq}, {dialect} {otype} required={oreq}")
    assert unexplained == []


def test_spring_2023_layout_reads_operations_from_examples() -> None:
    """No model pages: all 108 operations, request types and response fields from the example code."""
    old = schema_of(corpus("airbyte-python-2023-05"))
    new = schema_of(corpus("airbyte-python"))
    ops = dict(((g, o.name), o) for g, o in operations(old))
    assert len(ops) == 108 and len(old.groups) == 21
    current = dict(((g, o.name), o) for g, o in operations(new))
    same_request = [k for k, o in ops.items() if k in current and o.request == current[k].request]
    assert len(same_request) >= 100, "request types read from examples should match the next month's docs"
    with_fields = [o for o in ops.values() if o.response_fields]
    assert len(with_fields) >= 90
    assert ops[("health", "get_health_check")].response_fields[0].name == "health_check_read"
    assert ops[("connection", "create_connection")].request == ir.ref("ConnectionCreate", "shared")
    assert {u.name for u in old.unresolved} >= {"ConnectionCreate", "ConnectionIDRequestBody"}


@pytest.mark.parametrize("name, names", [
    ("featuretest-python-2023-11", {"date": "date_", "datetime": "date_time", "bigint": "bigint", "decimal": "decimal",
                                    "deprecated": "deprecated_field", "security": "api_key_auth"}),
    ("featuretest-typescript-2023-11", {"date": "date", "datetime": "dateTime", "bigint": "bigint", "decimal": "decimal",
                                        "deprecated": "deprecatedField", "security": "apiKeyAuth"}),
])
def test_featuretest_constructs_land_in_the_ir(name: str, names: dict[str, str]) -> None:
    """Unions, integer enums, maps, nested lists, decimals, big ints, bytes, dates, deprecations, security, errors."""
    schema = schema_of(corpus(name))
    assert field(schema, "SimpleObject", names["date"]).type == ir.prim("date")
    assert field(schema, "SimpleObject", names["datetime"]).type == ir.prim("datetime")
    python = name.startswith("featuretest-python")
    # TypeScript documents decimals and big integers as `number`: a fact of that dialect.
    assert field(schema, "ComplexNumberTypes", names["decimal"]).type == ir.prim("decimal" if python else "number")
    assert field(schema, "ComplexNumberTypes", names["bigint"]).type == ir.prim("integer" if python else "number")
    assert field(schema, "DeprecatedFieldInObject", names["deprecated"]).deprecated
    assert [e for e in schema.enums if e.name == "DeprecatedEnum"][0].deprecated
    int_enum = [e for e in schema.enums if e.name == "IntEnum"][0]
    assert int_enum.value_type == "integer" and [m.value for m in int_enum.members] == [1, 2, 3]
    assert {f.name for f in model(schema, "Security").fields} >= {names["security"]}
    assert {a.scheme for a in schema.api.auth} == {"api_key", "oauth2"}
    assert len(schema.api.servers) == 5
    kinds = Counter(t.kind for m in schema.models for f in m.fields for t in _walk(f.type))
    assert kinds["map"] > 0 and kinds["bytes"] > 0 and kinds["list"] > 0
    assert any(f.type.kind == "list" and f.type.items and f.type.items.kind == "list"
               for m in schema.models for f in m.fields), "nested lists"
    errs = {(e.type.name, e.status) for _, o in operations(schema) for e in o.errors}
    assert ("StatusGetXSpeakeasyErrorsResponseBody", "501") in errs and ("SDKError", "400-600") in errs
    if python:  # the TypeScript docs inline unions; only Python has union pages
        union = [u for u in schema.unions if u.name == "WeaklyTypedOneOfObject"][0]
        assert union.variants == (ir.ref("SimpleObject", "shared"), ir.ref("DeepObject", "shared"))


def _walk(t: ir.TypeRef) -> list[ir.TypeRef]:
    found = [t]
    for child in (t.items, t.values, *t.variants):
        if child is not None:
            found.extend(_walk(child))
    return found


def test_speakeasy_2025_format() -> None:
    """`(*group*)` titles, `Error Type` tables with 4XX/5XX, retries parameters, `with SDK(...) as s:` usage."""
    schema = schema_of(corpus("speakeasy-python-2025-01"))
    assert (schema.api.package, schema.api.sdk_class) == ("speakeasy_client_sdk_python", "Speakeasy")
    ops = dict(((g, o.name), o) for g, o in operations(schema))
    assert len(ops) == 63 and len(schema.groups) == 11
    blob = ops[("artifacts", "get_blob")]
    assert blob.request == ir.ref("GetBlobRequest", "operations")
    assert [(e.type.name, e.status) for e in blob.errors] == [("Error", "4XX"), ("SDKError", "5XX")]
    assert [p.name for p in blob.parameters] == ["retries"]
    assert [r.name for r in blob.response_fields] == ["blob"]
    assert schema.unresolved == ()


def test_seed_pages_given_as_loose_files() -> None:
    """Five loose pages in three dialects: three models, the group's operations, unresolved kept explicit."""
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}")
    schema = schema_of(*sorted(SEEDS.iterdir()))
    assert errors_of(schema) == []
    assert_valid_ir(schema.to_dict())
    assert sorted(m.name for m in schema.models) == [
        "WebBackendConnectionCreate", "WebBackendConnectionListItem", "WebBackendConnectionRead"]
    assert set(schema.api.dialects) == {"python", "php", "typescript"}
    assert [g.name for g in schema.groups] == ["web_backend"]
    assert len(schema.groups[0].operations) == 8
    unresolved = {u.name: u for u in schema.unresolved}
    assert {"CatalogDiff", "Geography", "ConnectionIDRequestBody", "GetStateTypeResponse"} <= set(unresolved)
    warned = {(d.file, d.line) for d in schema.diagnostics if d.code == "W201"}
    for item in unresolved.values():
        first = item.referenced_from[0]
        assert first.file and first.line > 0 and (first.file, first.line) in warned
