"""Placeholder routes for corpora whose docs state no HTTP method or path (a test-only config).

The featuretest and Speakeasy docs never say which method and path an operation uses, so the
generated SDK raises NoRouteError for every call (W301) -- correct, but it would leave the
whole request/response path untested. The usage tests therefore generate those SDKs with a
configuration routing each operation to `POST /<group>/<operation>` when it takes a request
object and `GET /<group>/<operation>` otherwise. These are NOT facts about the APIs: the
loopback server answers any path, and nothing checks the path for these corpora.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def render(schema: dict[str, Any]) -> str:
    """The TOML [routes] table for every operation of the IR."""
    lines = ["# Test-only placeholder routes (see tests/support/placeholder_routes.py).", "[routes]"]
    for group in schema["groups"]:
        for op in group["operations"]:
            key = f"{group['name']}.{op['name']}" if group["name"] else op["name"]
            method = "POST" if op.get("request") else "GET"
            route = f"{method} /{group['name'] or 'root'}/{op['name']}"
            lines.append(f"{json.dumps(key)} = {json.dumps(route)}")
    return "\n".join(lines) + "\n"


def write(schema: dict[str, Any], path: Path) -> Path:
    """Write the placeholder configuration to `path` and return it."""
    path.write_text(render(schema), encoding="utf-8")
    return path
