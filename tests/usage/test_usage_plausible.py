"""Documented usage of the feature-test (2023-11) and Speakeasy platform (2025-01) docs runs unchanged.

Every Python snippet of ../shared/corpora/featuretest-python-2023-11 and
../shared/corpora/speakeasy-python-2025-01 runs in its own interpreter against a loopback
server answering a 200 built from the documented response model; it must complete without an
exception and reach the server. These docs state no routes: the SDKs are generated with
test-only placeholder routes (support/placeholder_routes.py), and paths are not checked.
"""

from __future__ import annotations

import base64
import json
from typing import Callable

import pytest

from support.irvalues import IRValues
from support.paths import corpus
from support.plausible import reply_for
from support.loopback import Recorded
from support.runner import Outcome
from support.snippets import load_schema
from support.usage import completion_problems, expect, run_plausible, snippets_of, summarise

_CONSTS = ("docs: the model page lists 13 `const_*` fields as required and states no values; the example omits "
           "them (Speakeasy gave consts defaults), so the documented constructor call lacks 13 required arguments")
_NO_DATEUTIL = "docs: the snippet calls dateutil.parser but never imports dateutil (NameError)"
_NO_DECIMAL = "docs: the snippet calls Decimal(...) but never imports it (NameError)"
_INVALID = "docs: the snippet is invalid Python (positional argument follows keyword arguments: {})"

# Per corpus: snippets known not to pass, with their classified cause ("docs: ..." or
# "generator: ...", see support.usage.expect), and the floor = what passes now (raise it as
# the generator improves; never lower it).
KNOWN_FAILURES: dict[str, dict[str, str]] = {
    "featuretest-python-2023-11": {
        "resource.create_resource": _INVALID.format("a list item `shared.ExampleCar(...)` printed without its name"),
        "unions.nullable_one_of_ref_in_object_post": _INVALID.format("a union value printed without its name"),
        "unions.nullable_one_of_type_in_object_post": _INVALID.format("`873677,` printed without its name"),
        "request_bodies.request_body_post_defaults_and_consts": _CONSTS,
        "request_bodies.request_body_post_json_data_types_array_date": _NO_DATEUTIL,
        "request_bodies.request_body_post_json_data_types_date": _NO_DATEUTIL,
        "request_bodies.request_body_post_json_data_types_date_time": _NO_DATEUTIL,
        "request_bodies.request_body_post_json_data_types_map_date_time": _NO_DATEUTIL,
        "unions.union_date_null": _NO_DATEUTIL,
        "unions.union_date_time_big_int": _NO_DATEUTIL,
        "unions.union_date_time_null": _NO_DATEUTIL,
        "request_bodies.request_body_post_json_data_types_array_decimal_str": _NO_DECIMAL,
        "request_bodies.request_body_post_json_data_types_decimal": _NO_DECIMAL,
        "request_bodies.request_body_post_json_data_types_decimal_str": _NO_DECIMAL,
        "request_bodies.request_body_post_json_data_types_map_decimal": _NO_DECIMAL,
        "unions.union_big_int_decimal": _NO_DECIMAL,
    },
    "speakeasy-python-2025-01": {},
}
FLOORS = {"featuretest-python-2023-11": 193, "speakeasy-python-2025-01": 63}

CASES = [(name, s.id) for name in FLOORS for s in snippets_of(name)] or [(name, "absent") for name in FLOORS]
_RUNS: dict[str, dict[str, Outcome]] = {}


@pytest.fixture(scope="module")
def outcomes(generated_sdk) -> Callable[[str], dict[str, Outcome]]:  # type: ignore[no-untyped-def]
    """`outcomes(corpus)`: every snippet of the corpus run once against its generated SDK."""

    def run(name: str) -> dict[str, Outcome]:
        corpus(name)
        if name not in _RUNS:
            found, seconds = run_plausible(name, generated_sdk(name), snippets_of(name))
            summarise(name, f"{name} documented usage", found, completion_problems, KNOWN_FAILURES[name], seconds)
            _RUNS[name] = found
        return _RUNS[name]

    return run


@pytest.mark.parametrize(("name", "snippet_id"), CASES, ids=[f"{n}:{i}" for n, i in CASES])
def test_documented_usage(outcomes: Callable[[str], dict[str, Outcome]], name: str, snippet_id: str) -> None:
    """The snippet runs unchanged to completion against the loopback server."""
    expect(completion_problems(outcomes(name)[snippet_id]), KNOWN_FAILURES[name], snippet_id)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_pass_floor(outcomes: Callable[[str], dict[str, Outcome]], name: str) -> None:
    """The pass count never goes below the corpus's floor."""
    found = outcomes(name)
    passed = sum(not completion_problems(o) for o in found.values())
    assert passed >= FLOORS[name], f"{name}: {passed}/{len(found)} snippets passed, floor {FLOORS[name]}"


def test_basic_auth_is_http_basic(outcomes: Callable[[str], dict[str, Outcome]]) -> None:
    """auth.basic_auth's documented security object (username + password) becomes an HTTP Basic header."""
    (request,) = outcomes("featuretest-python-2023-11")["auth.basic_auth"].requests
    expected = "Basic " + base64.b64encode(b"YOUR_USERNAME:YOUR_PASSWORD").decode()
    assert request.headers.get("authorization") == expected


# The documented pagination loops (`res = res.Next()` until None): the server answers a full page,
# then an empty one. (input's place, wire key, how the second request's value follows from the first page)
PAGED = {
    "pagination.pagination_cursor_body": ("body", "cursor", lambda first, items: items[-1]),
    "pagination.pagination_cursor_params": ("query", "cursor", lambda first, items: items[-1]),
    "pagination.pagination_limit_offset_offset_body": ("body", "offset", lambda first, items: (first or 0) + len(items)),
    "pagination.pagination_limit_offset_offset_params": ("query", "offset", lambda first, items: (first or 0) + len(items)),
    "pagination.pagination_limit_offset_page_body": ("body", "page", lambda first, items: (first or 1) + 1),
    "pagination.pagination_limit_offset_page_params": ("query", "page", lambda first, items: (first or 1) + 1),
}


def _input(request: Recorded, where: str, key: str) -> int | None:
    if where == "body":
        value = json.loads(request.body or b"{}").get(key)
    else:
        value = request.query.get(key, [None])[0]
    return None if value is None else int(value)


@pytest.mark.parametrize("snippet_id", list(PAGED))
def test_next_asks_for_the_following_page(outcomes: Callable[[str], dict[str, Outcome]], snippet_id: str) -> None:
    """Each documented loop sends two requests: the second moves the paging input as the rule says, keeping
    every other input, and the empty second page ends the loop (one request when the first page is already
    shorter than the `limit` input)."""
    name = "featuretest-python-2023-11"
    outcome = outcomes(name)[snippet_id]
    where, key, follows = PAGED[snippet_id]
    reply = reply_for(outcome.snippet, IRValues(load_schema(str(corpus(name)))))
    items = json.loads(reply.body)["resultArray"]
    assert items, "the first page must hold results for this check to mean anything"
    first = outcome.requests[0]
    limit = _input(first, where, "limit")
    if limit is not None and len(items) < limit:  # a page shorter than the page size is the last one
        assert len(outcome.requests) == 1
        return
    first, second = outcome.requests
    assert _input(second, where, key) == follows(_input(first, where, key), items)
    rest = (lambda r: {k: v for k, v in json.loads(r.body or b"{}").items() if k != key}) if where == "body" else \
        (lambda r: {k: v for k, v in r.query.items() if k != key})
    assert rest(first) == rest(second) and first.path == second.path
