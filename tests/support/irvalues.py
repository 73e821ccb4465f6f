"""Plausible JSON values built from the IR (models, enums, unions) for a response field's type.

Used to answer snippets of corpora without an OpenAPI document: every field of a model is
present down to a bounded depth; scalars use the documented example when it parses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_DEFAULTS: dict[str, Any] = {"string": "text", "integer": 1, "number": 1.5, "boolean": True, "date": "2020-01-01",
                             "datetime": "2020-01-01T00:00:00Z", "decimal": 3.5, "bytes": "Ynl0ZXM=",
                             "any": {"any": "value"}}


@dataclass
class IRValues:
    """Indexes one IR and builds JSON values for its types.

    `list_items` is how many items each list gets (0 builds an "empty page": every list empty).
    """

    schema: dict[str, Any]
    max_depth: int = 4
    list_items: int = 1
    _defs: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for kind in ("models", "enums", "unions"):
            for node in self.schema.get(kind, []):
                self._defs.setdefault(f"{node['namespace']}.{node['name']}", (kind, node))
                self._defs.setdefault(node["name"], (kind, node))

    def value(self, kind_tree: dict[str, Any], depth: int = 0, example: str = "",
              stack: tuple[str, ...] = ()) -> Any:
        """A JSON value for one IR type tree (`stack`: the models being built around it)."""
        kind = kind_tree["kind"]
        if kind == "ref":
            return self._ref(kind_tree, depth, stack)
        if kind == "list":  # empty past the depth bound: ends required circular references
            count = self.list_items if depth < self.max_depth else 0
            return [self.value(kind_tree["items"], depth + 1, "", stack) for _ in range(count)]
        if kind == "map":
            return {"key": self.value(kind_tree["values"], depth + 1, "", stack)} if depth < self.max_depth else {}
        if kind == "union":
            return self._union(kind_tree["variants"], depth, stack)
        if kind == "literal":
            return kind_tree["value"]
        return _scalar(kind, example)

    def _lookup(self, ref: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return self._defs.get(f"{ref.get('namespace')}.{ref['name']}") or self._defs.get(ref["name"], ("", {}))

    def _union(self, variants: list[dict[str, Any]], depth: int, stack: tuple[str, ...]) -> Any:
        """The first variant, or past the depth bound the first one that does not recurse."""
        if depth >= self.max_depth:
            ending = [v for v in variants if v["kind"] != "ref" or v["name"] not in stack]
            variants = ending or variants
        return self.value(variants[0], depth, "", stack)

    def _ref(self, ref: dict[str, Any], depth: int, stack: tuple[str, ...]) -> Any:
        kind, node = self._lookup(ref)
        if kind == "enums":
            return node["members"][0]["value"] if node["members"] else "value"
        if kind == "unions":
            return self._union(node["variants"], depth, stack)
        if kind == "models":
            full, stack = depth < self.max_depth, (*stack, node["name"])
            return {f["wire_name"] or f["name"]: self.value(f["type"], depth + 1, f.get("example") or "", stack)
                    for f in node["fields"] if (full or f["required"]) and f["type"]["kind"] != "http_response"}
        return {}


def _scalar(kind: str, example: str) -> Any:
    """The documented example when it fits the type, else a default."""
    if example and kind in ("integer", "number", "boolean", "decimal"):
        try:
            parsed = json.loads(example)
        except ValueError:
            parsed = None
        if kind == "integer" and isinstance(parsed, int) and not isinstance(parsed, bool):
            return parsed
        if kind in ("number", "decimal") and isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
            return parsed
        if kind == "boolean" and isinstance(parsed, bool):
            return parsed
    if example and kind in ("string", "date", "datetime"):
        return example
    return _DEFAULTS.get(kind, None)
