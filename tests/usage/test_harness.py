"""The usage harness's own helpers: snippet repair, strict validation, full values, loopback."""

from __future__ import annotations

import json
import urllib.request

import pytest

from support.loopback import Loopback, Reply
from support.openapi import Spec, Synth, differences, errors
from support.paths import AIRBYTE_CONFIG, AIRBYTE_SPEC, corpus, require
from support.snippets import load_schema, python_snippets, runnable


def test_runnable_appends_pass_to_comment_only_blocks() -> None:
    """Only `pass` is added, at the comment's indent; valid code is left byte for byte."""
    code = "res = 1\n\nif res is not None:\n    # handle response\n"
    assert runnable(code) == "res = 1\n\nif res is not None:\n    # handle response\n    pass\n"
    valid = "if x:\n    # handle response\n    pass\n"
    assert runnable(valid) == valid


def test_runnable_leaves_invalid_python_alone() -> None:
    """A snippet that no `pass` can repair stays as it is, so its own error shows."""
    code = "f(a=1,\n2)\n"
    assert runnable(code) == code


@pytest.fixture(scope="module")
def spec() -> Spec:
    """The reference OpenAPI document."""
    return Spec.load(require(AIRBYTE_SPEC, "the reference OpenAPI document"))


def test_objects_are_closed_and_null_is_rejected(spec: Spec) -> None:
    """A misspelt optional key and a null for a non-nullable property both fail."""
    schema = {"$ref": "#/components/schemas/ConnectionIdRequestBody"}
    good = {"connectionId": "9f7ef9e7-39ff-55eb-beec-0f049997856a"}
    assert errors(spec, schema, good) == []
    assert errors(spec, schema, {**good, "connection_id": "x"})
    assert errors(spec, schema, {"connectionId": None})
    assert errors(spec, schema, {"connectionId": "not-a-uuid"})


def test_required_names_that_are_not_properties_are_dropped(spec: Spec) -> None:
    """AirbyteStream requires json_schema (its property is jsonSchema): a stream without it is valid."""
    assert errors(spec, {"$ref": "#/components/schemas/AirbyteStream"}, {"name": "users"}) == []


def test_integers_are_not_floats(spec: Spec) -> None:
    """1.0 where the schema says integer is a wire error this harness reports."""
    schema = {"$ref": "#/components/schemas/JobIdRequestBody"}
    assert errors(spec, schema, {"id": 1}) == []
    assert errors(spec, schema, {"id": 1.0})


def test_full_values_have_every_optional_property(spec: Spec) -> None:
    """The synthesised ConnectionRead is valid and holds every declared property."""
    schema = {"$ref": "#/components/schemas/ConnectionRead"}
    value = Synth(spec).value(schema)
    assert errors(spec, schema, value) == []
    assert set(value) == set(spec.components["ConnectionRead"]["properties"])


def test_differences_name_the_lost_property(spec: Spec) -> None:
    """A property dropped by decoding is reported with its component and key."""
    schema = {"$ref": "#/components/schemas/ConnectionRead"}
    served = Synth(spec).value(schema)
    decoded = {k: v for k, v in served.items() if k != "prefix"}
    found = list(differences(spec, schema, served, decoded))
    assert [(d.component, d.key, d.kind) for d in found] == [("ConnectionRead", "prefix", "lost")]


def test_loopback_records_and_answers() -> None:
    """The server records method, path, query, headers and body, and answers the planned reply."""
    with Loopback(lambda _r: Reply(201, "application/json", b'{"ok": true}')) as server:
        request = urllib.request.Request(server.url + "/api/v1/x?a=1&a=2", data=b'{"k": 1}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 201 and json.loads(response.read()) == {"ok": True}
    (seen,) = server.requests
    assert (seen.method, seen.path, seen.query, seen.body) == ("POST", "/api/v1/x", {"a": ["1", "2"]}, b'{"k": 1}')
    assert seen.headers["content-type"] == "application/json"


def test_snippets_change_only_by_added_pass_lines() -> None:
    """Across the three corpora, the harness's only change to a snippet is `pass` lines."""
    changed = 0
    for name, config in (("airbyte-python", str(AIRBYTE_CONFIG)), ("featuretest-python-2023-11", None),
                         ("speakeasy-python-2025-01", None)):
        for snippet in python_snippets(name, load_schema(str(corpus(name)), config)):
            fixed = runnable(snippet.code)
            if fixed != snippet.code:
                changed += 1
                kept = [line for line in fixed.splitlines() if line.strip() != "pass"]
                assert kept == [line for line in snippet.code.splitlines() if line.strip() != "pass"], snippet.id
    assert changed == 108  # every Airbyte snippet ends in `if ...:` + `# handle response`
