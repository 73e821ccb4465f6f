"""Plausible 200 responses for corpora without an OpenAPI document, built from the IR."""

from __future__ import annotations

import json
from typing import Any

from .irvalues import IRValues
from .loopback import Recorded, Reply
from .snippets import Snippet

_TEXT_TYPES = {"html": "text/html", "xml": "application/xml"}


def success_field(snippet: Snippet) -> dict[str, Any] | None:
    """The response field a 200 fills: a model/list/map body first, else a text or bytes body."""
    fields = [f for f in snippet.op["response_fields"] if f["type"]["kind"] != "http_response"
              and str(f.get("status") or "200").startswith("2")]
    structured = [f for f in fields if f["type"]["kind"] in ("ref", "list", "map", "union", "any")]
    return (structured or fields or [None])[0]


def reply_for(snippet: Snippet, values: IRValues) -> Reply:
    """200 with a JSON body built from the response field's type (every field, bounded depth)."""
    found = success_field(snippet)
    if found is None:
        return Reply(200, "", b"")
    kind = found["type"]["kind"]
    if kind == "bytes":
        return Reply(200, "application/octet-stream", b"\x00\x01binary body")
    if kind == "string":
        return Reply(200, _TEXT_TYPES.get(found["name"], "text/plain"), b"<p>plain text body</p>")
    return Reply(200, "application/json", json.dumps(values.value(found["type"])).encode())


def responder(snippet: Snippet, values: IRValues) -> Any:
    """A loopback responder: the plausible 200 first, then an "empty page" (every list empty).

    Documented pagination loops (`res = res.Next()` until None) end on an empty page.
    """
    first = reply_for(snippet, values)
    later = reply_for(snippet, IRValues(values.schema, max_depth=values.max_depth, list_items=0))
    seen: list[Recorded] = []

    def answer(request: Recorded) -> Reply:
        seen.append(request)
        return first if len(seen) == 1 else later

    return answer
