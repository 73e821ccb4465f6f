"""Documented usage of the Airbyte docs runs unchanged against the generated SDK.

Every Python "Example Usage" snippet of ../shared/corpora/airbyte-python runs in its own
interpreter against a recording loopback server. Each must send exactly one request with the
method and path of airbyte-api-facts.json and a JSON body valid (closed objects, no stray
nulls) against the reference OpenAPI document. The server answers the operation's 200 body
with EVERY optional property present; the typed response field, re-encoded with to_dict(),
must equal what was served, apart from the listed facts below.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from support import airbyte
from support.openapi import differences, flatten_all_of
from support.paths import AIRBYTE_CONFIG, AIRBYTE_SPEC, CORPORA, corpus, require
from support.runner import Job, Outcome, run_all
from support.snippets import load_schema
from support.usage import expect, snippets_of, summarise

CORPUS = "airbyte-python"
ENV_VAR = "AIRBYTE_SERVER_URL"

# The reference OpenAPI document is a few weeks newer than the docs. These properties and enum
# values exist only in the document; the SDK cannot know them. (test_known_gaps_are_facts keeps
# this list true.) An SDK that keeps unknown JSON fields still round-trips them.
SPEC_ONLY_PROPERTIES = frozenset({
    ("AttemptStats", "bytesCommitted"),
    ("CompleteSourceOauthRequest", "returnSecretCoordinate"),
    ("ConnectionCreate", "notifySchemaChangesByEmail"),
    ("ConnectionRead", "notifySchemaChangesByEmail"),
    ("ConnectionRead", "workspaceId"),
    ("ConnectionUpdate", "notifySchemaChangesByEmail"),
    ("JobRead", "enabledStreams"),
    ("SourceCreate", "secretId"),
    ("SourceDefinitionRead", "maxSecondsBetweenMessages"),
    ("SourceUpdate", "secretId"),
    ("SynchronousJobRead", "failureReason"),
    ("WebBackendConnectionRead", "notifySchemaChangesByEmail"),
    ("WebBackendConnectionUpdate", "notifySchemaChangesByEmail"),
    ("WorkspaceCreate", "notificationSettings"),
    ("WorkspaceRead", "notificationSettings"),
    ("WorkspaceUpdate", "notificationSettings"),
})
SPEC_ONLY_ENUM_VALUES = frozenset({
    ("NonBreakingChangesPreference", "propagate_columns"),
    ("NonBreakingChangesPreference", "propagate_fully"),
})

# Snippets known not to pass, with their classified cause ("generator: ..." or "docs: ...");
# see support.usage.expect.
KNOWN_USAGE_FAILURES: dict[str, str] = {}
KNOWN_DECODE_FAILURES: dict[str, str] = {}
KNOWN_ERROR_FAILURES: dict[str, str] = {}  # keys: "group.operation 404"
# Floors: what passes now (raise them as the generator improves; they must never go down).
USAGE_FLOOR = 108
DECODE_FLOOR = 108
ERROR_FLOOR = 150  # of 150 documented JSON error responses (82 x 422, 66 x 404, 2 x 400)


SNIPPETS = snippets_of(CORPUS, AIRBYTE_CONFIG)
IDS = [s.id for s in SNIPPETS] or ["corpus-absent"]


@pytest.fixture(scope="module")
def outcomes(generated_sdk) -> dict[str, Outcome]:  # type: ignore[no-untyped-def]
    """Every snippet run once against the SDK generated with tests/corpora/airbyte.toml."""
    corpus(CORPUS)
    require(AIRBYTE_SPEC, "the reference OpenAPI document")
    out = generated_sdk(CORPUS)
    jobs = [Job(s, airbyte.responder(s), tuple(f["name"] for f in s.op["response_fields"]), airbyte.BASE_PATH)
            for s in SNIPPETS]
    start = time.monotonic()
    results = run_all(jobs, out_dir=out, env_var=ENV_VAR, package="airbyte")
    _summarise({o.snippet.id: o for o in results}, time.monotonic() - start)
    return {o.snippet.id: o for o in results}


ERROR_CASES = [(s.id, status) for s in SNIPPETS for status, _plan in airbyte.error_plans(s)] if SNIPPETS else []


@pytest.fixture(scope="module")
def error_outcomes(generated_sdk) -> dict[str, Outcome]:  # type: ignore[no-untyped-def]
    """Every snippet run again once per documented JSON error status, the server answering that error."""
    corpus(CORPUS)
    out = generated_sdk(CORPUS)
    jobs, keys = [], []
    for snippet in SNIPPETS:
        for status, plan in airbyte.error_plans(snippet):
            fields = tuple(f["name"] for f in snippet.op["response_fields"])
            jobs.append(Job(snippet, _constant(plan.reply), fields, airbyte.BASE_PATH, plan))
            keys.append(f"{snippet.id} {status}")
    start = time.monotonic()
    found = dict(zip(keys, run_all(jobs, out_dir=out, env_var=ENV_VAR, package="airbyte")))
    summarise("airbyte-3-errors", f"{CORPUS} documented error responses decoded", found, error_problems,
              KNOWN_ERROR_FAILURES, time.monotonic() - start)
    return found


def _constant(reply: Any) -> Any:
    return lambda _request: reply


def error_problems(outcome: Outcome) -> list[str]:
    """An error status must fill its documented error field (not raise), and lose nothing."""
    if outcome.failure():
        return [f"snippet did not complete: {outcome.failure()}"]
    plan = outcome.job.plan
    status = outcome.report.get("status_code")
    if status != plan.reply.status:
        return [f"status_code {status!r}, served {plan.reply.status}"]
    return _field_problems(outcome, plan)


def usage_problems(outcome: Outcome) -> list[str]:
    """Why a snippet's documented usage failed: it raised, or its request was wrong."""
    if outcome.failure():
        return [outcome.failure()]
    return airbyte.request_problems(outcome.snippet, outcome.requests)


def decode_problems(outcome: Outcome) -> list[str]:
    """Why the served 200 body did not come back whole from the typed response field."""
    if outcome.failure():
        return [f"snippet did not complete: {outcome.failure()}"]
    plan = airbyte.plan(outcome.snippet)
    if plan.schema is None:
        status = outcome.report.get("status_code")
        return [] if status == plan.reply.status else [f"status_code {status!r}, served {plan.reply.status}"]
    return _field_problems(outcome, plan)


def _field_problems(outcome: Outcome, plan: airbyte.Plan) -> list[str]:
    """The plan's served body must be in its documented field, typed, and re-encode equal."""
    if not plan.field:
        return ["no documented response field for the served body"]
    got = outcome.report.get("fields", {}).get(plan.field, {})
    if "encode_error" in got or "absent" in got or "value" not in got:
        return [f"res.{plan.field}: {got}"]
    expected_type = _python_type(outcome.snippet, plan.field)
    if got["type"] != expected_type:
        return [f"res.{plan.field} is a {got['type']}, documented as {expected_type}"]
    if isinstance(plan.served, bytes) or plan.schema is None:
        return _bytes_problems(plan.field, plan.served, got["value"])
    return [f"res.{plan.field}{d}" for d in differences(airbyte.spec(), plan.schema, plan.served, got["value"])
            if not _known_gap(d)]


def _python_type(snippet: Any, name: str) -> str:
    """The class a documented response field should hold: the model's name, or dict/bytes."""
    kind = next(f["type"] for f in snippet.op["response_fields"] if f["name"] == name)
    names = {"ref": kind.get("name", ""), "map": "dict", "bytes": "bytes", "list": "list"}
    return names.get(kind["kind"], kind["kind"])


def _bytes_problems(name: str, served: bytes, value: Any) -> list[str]:
    text = value.get("$bytes") if isinstance(value, dict) else None
    decoded = base64.b64decode(text) if text else value.encode() if isinstance(value, str) else None
    return [] if decoded == served else [f"res.{name} = {value!r:.200}, served {served!r:.200}"]


def _known_gap(diff: Any) -> bool:
    """A difference explained by the document being newer than the docs."""
    if diff.kind == "lost" and (diff.component, diff.key) in SPEC_ONLY_PROPERTIES:
        return True
    return diff.kind == "changed" and (diff.component, diff.served) in SPEC_ONLY_ENUM_VALUES


def _summarise(by_id: dict[str, Outcome], seconds: float) -> None:
    summarise("airbyte-1-usage", f"{CORPUS} documented usage (route and body checked)", by_id, usage_problems,
              KNOWN_USAGE_FAILURES, seconds)
    summarise("airbyte-2-decode", f"{CORPUS} full 200 responses decoded", by_id, decode_problems,
              KNOWN_DECODE_FAILURES, seconds)


@pytest.mark.parametrize("snippet_id", IDS)
def test_documented_usage(outcomes: dict[str, Outcome], snippet_id: str) -> None:
    """The snippet runs unchanged and sends the documented request: route and a valid body."""
    expect(usage_problems(outcomes[snippet_id]), KNOWN_USAGE_FAILURES, snippet_id)


@pytest.mark.parametrize("snippet_id", IDS)
def test_full_response_decodes(outcomes: dict[str, Outcome], snippet_id: str) -> None:
    """A 200 body with every optional property decodes into the typed field and re-encodes equal."""
    expect(decode_problems(outcomes[snippet_id]), KNOWN_DECODE_FAILURES, snippet_id)


@pytest.mark.parametrize(("snippet_id", "status"), ERROR_CASES or [("corpus-absent", "")],
                         ids=[f"{i} {s}" for i, s in ERROR_CASES] or ["corpus-absent"])
def test_error_response_decodes(error_outcomes: dict[str, Outcome], snippet_id: str, status: str) -> None:
    """A documented 4xx JSON error fills the matching typed error field, every property kept."""
    key = f"{snippet_id} {status}"
    expect(error_problems(error_outcomes[key]), KNOWN_ERROR_FAILURES, key)


def test_pass_floors(outcomes: dict[str, Outcome], error_outcomes: dict[str, Outcome]) -> None:
    """Pass counts never go below what passed when the floors were last raised."""
    usage = sum(not usage_problems(o) for o in outcomes.values())
    decode = sum(not decode_problems(o) for o in outcomes.values())
    assert len(outcomes) == 108, "the Airbyte docs document 108 operations"
    assert usage >= USAGE_FLOOR, f"documented usage: {usage}/108 passed, floor {USAGE_FLOOR}"
    assert decode >= DECODE_FLOOR, f"full responses: {decode}/108 decoded, floor {DECODE_FLOOR}"
    errors = sum(not error_problems(o) for o in error_outcomes.values())
    assert len(error_outcomes) == 150, "the reference document has 150 JSON 4xx responses for these operations"
    assert errors >= ERROR_FLOOR, f"error responses: {errors}/150 decoded, floor {ERROR_FLOOR}"


def test_known_gaps_are_facts() -> None:
    """Every listed spec-only property/enum value is in the document and absent from the docs' IR."""
    corpus(CORPUS)
    require(AIRBYTE_SPEC, "the reference OpenAPI document")
    schema = load_schema(str(CORPORA / CORPUS), str(AIRBYTE_CONFIG))
    models = {m["name"]: {f["wire_name"] for f in m["fields"]} for m in schema["models"]}
    enums = {e["name"]: {m["value"] for m in e["members"]} for e in schema["enums"]}
    components = airbyte.spec().components
    found_props = {(name, prop) for name, node in components.items() if name in models
                   for prop in _properties(node) if prop not in models[name]}
    found_enums = {(name, value) for name, node in components.items() if name in enums
                   for value in node.get("enum", []) if value not in enums[name]}
    assert found_props == SPEC_ONLY_PROPERTIES
    assert found_enums == SPEC_ONLY_ENUM_VALUES


def _properties(node: dict[str, Any]) -> set[str]:
    """Declared properties, allOf parts folded in (as the validator sees them)."""
    return set(flatten_all_of(airbyte.spec(), node).get("properties", {}))
