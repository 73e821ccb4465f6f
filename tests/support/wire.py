"""Generic wire checks: no Python repr (dict, list, enum, Decimal, date) leaks into a request."""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from .loopback import Recorded

# Text that only Python's repr()/str() of a container or object produces, never a wire format:
# "{'k': ...}" / "['a', ...]", "<EnumT.ONE: 'one'>", "Decimal('1.5')", "datetime.date(2020, 1, 1)".
_REPR = re.compile(r"^\{'|^\['|<[A-Z]\w*\.\w+: |\bDecimal\('|\bdatetime\.(date|datetime)\(")
_SKIP_HEADERS = {"host", "user-agent", "accept", "accept-encoding", "connection", "content-length", "content-type"}


def repr_leaks(request: Recorded) -> list[str]:
    """Places in a request (query, headers, JSON body strings) holding a Python repr."""
    found = [f"query {key}={value[:120]!r}" for key, values in request.query.items() for value in values
             if _REPR.search(value)]
    found += [f"header {key}: {value[:120]!r}" for key, value in request.headers.items()
              if key not in _SKIP_HEADERS and _REPR.search(value)]
    if request.body and request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(request.body)
        except ValueError:
            return found + [f"body is not JSON: {request.body[:120]!r}"]
        found += [f"body string {text[:120]!r}" for text in _strings(body) if _REPR.search(text)]
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
