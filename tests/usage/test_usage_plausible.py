"""Documented usage of the feature-test (2023-11) and Speakeasy platform (2025-01) docs runs unchanged.

Every Python snippet of ../shared/corpora/featuretest-python-2023-11 and
../shared/corpora/speakeasy-python-2025-01 runs in its own interpreter against a loopback
server answering a 200 built from the documented response model; it must complete without an
exception and reach the server. These docs state no routes: the SDKs are generated with
test-only placeholder routes (support/placeholder_routes.py), and paths are not checked.
"""

from __future__ import annotations

import base64
from typing import Callable

import pytest

from support.paths import corpus
from support.runner import Outcome
from support.usage import completion_problems, expect, run_plausible, snippets_of, summarise

_NO_PAGING = ("generator: the README (## Pagination) documents a `Next()` method on paginated responses, "
              "returning None when there are no more pages; the generated response has none (AttributeError)")
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
        **{f"pagination.pagination_{kind}": _NO_PAGING for kind in (
            "cursor_body", "cursor_params", "limit_offset_offset_body", "limit_offset_offset_params",
            "limit_offset_page_body", "limit_offset_page_params")},
    },
    "speakeasy-python-2025-01": {},
}
FLOORS = {"featuretest-python-2023-11": 187, "speakeasy-python-2025-01": 63}

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
