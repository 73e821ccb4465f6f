"""Airbyte checks: routes from airbyte-api-facts.json, bodies against the reference OpenAPI."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .loopback import Recorded, Reply
from .openapi import Spec, Synth, errors
from .paths import AIRBYTE_FACTS, AIRBYTE_SPEC
from .snippets import Snippet, runnable
from .wire import repr_leaks

BASE_PATH = "/api"  # the facts' server URL is http://localhost:8000/api: paths go below /api
TEXT_BODY = b"2023-06-15 10:20:30 INFO line one\n2023-06-15 10:20:31 INFO line two\n"


@lru_cache(maxsize=1)
def routes() -> dict[str, tuple[str, str]]:
    """`group.operation` -> (METHOD, /path), from the facts."""
    facts = json.loads(AIRBYTE_FACTS.read_text(encoding="utf-8"))
    return {f"{r['group']}.{r['operation']}": (r["http_method"], r["path"]) for r in facts["routes"]}


def spec() -> Spec:
    """The reference OpenAPI document."""
    return Spec.load(AIRBYTE_SPEC)


@dataclass(frozen=True)
class Plan:
    """What the server answers for one operation, and where the SDK should put it."""

    reply: Reply
    served: Any  # the JSON value served (None for no content, bytes for text)
    field: str  # the response field that should hold it ("" when there is no content)
    schema: dict[str, Any] | None  # the spec's 200 schema


def plan(snippet: Snippet) -> Plan:
    """The full 200 response of the snippet's operation, every optional property present."""
    return _plan(snippet.id, snippet)


_PLANS: dict[str, Plan] = {}


def _plan(key: str, snippet: Snippet) -> Plan:
    if key not in _PLANS:
        _PLANS[key] = _build_plan(snippet)
    return _PLANS[key]


def _build_plan(snippet: Snippet) -> Plan:
    method, path = routes()[snippet.id]
    responses = spec().operation(method, path)["responses"]
    status = "200" if "200" in responses else next(code for code in responses if code.startswith("2"))
    content_type, schema = spec().response(method, path, status)
    if schema is None:
        return Plan(Reply(int(status), "application/json", b""), None, "", None)
    if content_type != "application/json":
        return Plan(Reply(200, content_type or "text/plain", TEXT_BODY), TEXT_BODY, _bytes_field(snippet), schema)
    served = Synth(spec()).value(schema)
    reply = Reply(200, "application/json", json.dumps(served).encode())
    return Plan(reply, served, _success_field(snippet, schema), schema)


def error_plans(snippet: Snippet) -> list[tuple[str, Plan]]:
    """(status, plan) for each documented JSON error response (4xx) of the operation."""
    method, path = routes()[snippet.id]
    out = []
    for status in sorted(spec().operation(method, path)["responses"]):
        content_type, schema = spec().response(method, path, status)
        if status.startswith("4") and content_type == "application/json" and schema and "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            fields = [f["name"] for f in snippet.op["response_fields"] if f["type"].get("name") == name]
            served = Synth(spec()).value(schema)
            reply = Reply(int(status), "application/json", json.dumps(served).encode())
            out.append((status, Plan(reply, served, fields[0] if fields else "", schema)))
    return out


def _error_components(snippet: Snippet) -> set[str]:
    """Names of the schemas that the operation's non-2xx responses carry."""
    method, path = routes()[snippet.id]
    names = set()
    for code in spec().operation(method, path)["responses"]:
        if not code.startswith("2"):
            _ct, schema = spec().response(method, path, code)
            if schema and "$ref" in schema:
                names.add(schema["$ref"].rsplit("/", 1)[1])
    return names


def _success_field(snippet: Snippet, schema: dict[str, Any]) -> str:
    """The documented response field for the 200 body: same type name, else the one non-error field."""
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    fields = snippet.op["response_fields"]
    for item in fields:
        if item["type"].get("name") == name:
            return item["name"]
    errors_ = _error_components(snippet)
    others = [f["name"] for f in fields if f["type"].get("name") not in errors_]
    return others[0] if len(others) == 1 else ""


def _bytes_field(snippet: Snippet) -> str:
    found = [f["name"] for f in snippet.op["response_fields"] if f["type"]["kind"] in ("bytes", "string")]
    return found[0] if found else ""


def responder(snippet: Snippet) -> Any:
    """A loopback responder that answers the operation's planned 200 response to any request."""
    reply = plan(snippet).reply
    return lambda _request: reply


def request_problems(snippet: Snippet, requests: list[Recorded]) -> list[str]:
    """What is wrong with the requests a snippet sent: count, method, path, body."""
    method, path = routes()[snippet.id]
    if len(requests) != 1:
        seen = ", ".join(f"{r.method} {r.path}" for r in requests) or "none"
        return [f"expected 1 request, saw {len(requests)} ({seen})"]
    request = requests[0]
    problems = [f"Python repr on the wire: {leak}" for leak in repr_leaks(request)]
    if (request.method, request.path) != (method, BASE_PATH + path):
        problems.append(f"request went to {request.method} {request.path}, expected {method} {BASE_PATH}{path}")
    schema = spec().request_schema(method, path)
    if schema is None:
        if request.body:
            problems.append(f"operation takes no body, got {request.body[:200]!r}")
        return problems
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        problems.append(f"content-type {content_type!r}, expected application/json")
    try:
        body = json.loads(request.body)
    except ValueError:
        return problems + [f"body is not JSON: {request.body[:200]!r}"]
    problems += [f"body invalid: {e}" for e in errors(spec(), schema, body)]
    expected, sent = documented_values(snippet.code), _keys(body)
    if expected != sent:
        problems.append(f"body has {sent} keys, the snippet sets {expected} (a set value was lost or invented)")
    return problems


def documented_values(code: str) -> int:
    """How many keys the snippet's request sets: keyword arguments of model calls plus dict keys."""
    tree = ast.parse(runnable(code))
    target = next((n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == "req" for t in n.targets)), None)
    if target is None:
        return 0
    return sum(len(n.keywords) if isinstance(n, ast.Call) else len(n.keys)
               for n in ast.walk(target) if isinstance(n, (ast.Call, ast.Dict)))


def _keys(value: Any) -> int:
    """How many object keys a JSON value holds, at any depth."""
    if isinstance(value, dict):
        return len(value) + sum(_keys(v) for v in value.values())
    if isinstance(value, list):
        return sum(_keys(v) for v in value)
    return 0
