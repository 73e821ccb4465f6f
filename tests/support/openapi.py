"""The reference OpenAPI 3.0 document as strict JSON Schema, and full example values from it.

Request bodies are validated as CLOSED objects: every object schema that declares
properties and says nothing about additionalProperties gets `additionalProperties: false`,
so a key the schema does not declare (a misspelt or wrongly cased field) fails. `null` is
only valid where the schema says `nullable: true`. `required` names that are not declared
properties are dropped (known defects of the document, see ../shared/corpora/README.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import yaml

_REF = "#/components/schemas/"
_IGNORED = ("example", "discriminator", "xml", "externalDocs", "x-")


@dataclass(frozen=True)
class Spec:
    """The parsed OpenAPI document."""

    raw: dict[str, Any]

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, path: Path) -> "Spec":
        """Parse the YAML once per path."""
        with open(path, encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle))

    @property
    def components(self) -> dict[str, Any]:
        """`components/schemas`."""
        return self.raw["components"]["schemas"]

    def operation(self, method: str, path: str) -> dict[str, Any]:
        """The operation object at METHOD PATH (KeyError when the document lacks it)."""
        return self.raw["paths"][path][method.lower()]

    def request_schema(self, method: str, path: str) -> dict[str, Any] | None:
        """The JSON request body schema, or None when the operation takes no body."""
        body = self.operation(method, path).get("requestBody")
        return None if body is None else body["content"]["application/json"]["schema"]

    def response(self, method: str, path: str, status: str = "200") -> tuple[str | None, dict[str, Any] | None]:
        """(content type, schema) of a response; (None, None) when it has no content."""
        responses = self.operation(method, path)["responses"]
        reply = responses.get(status)
        if reply is None:
            return None, None
        if "$ref" in reply:
            reply = self.raw["components"]["responses"][reply["$ref"].rsplit("/", 1)[1]]
        for content_type, media in reply.get("content", {}).items():
            return content_type, media.get("schema")
        return None, None

    def deref(self, schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """(component name or None, the schema behind any chain of $refs)."""
        name = None
        while "$ref" in schema:
            name = schema["$ref"][len(_REF):]
            schema = self.components[name]
        return name, schema


# -- strict JSON Schema -------------------------------------------------------------------

def closed_schema(spec: Spec, schema: dict[str, Any]) -> dict[str, Any]:
    """A Draft 7 JSON Schema for `schema`, with every component converted into `definitions`."""
    definitions = {name: _convert(spec, node) for name, node in spec.components.items()}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": definitions,
            **_convert(spec, schema)}


def _convert(spec: Spec, node: Any) -> Any:
    """Convert one OpenAPI schema node (recursively) into strict JSON Schema."""
    if isinstance(node, list):
        return [_convert(spec, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": "#/definitions/" + node["$ref"][len(_REF):]}
    node = flatten_all_of(spec, node)
    out = {k: _convert(spec, v) for k, v in node.items()
           if k != "nullable" and not k.startswith(_IGNORED) and k not in ("properties", "required")}
    if "properties" in node:
        out["properties"] = {k: _convert(spec, v) for k, v in node["properties"].items()}
        out.setdefault("additionalProperties", False)
        required = [name for name in node.get("required", []) if name in node["properties"]]
        if required:
            out["required"] = required
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def flatten_all_of(spec: Spec, node: dict[str, Any]) -> dict[str, Any]:
    """Merge `allOf` parts' properties and required names into the node itself.

    A closed object cannot be composed with allOf (each part would reject the others'
    keys), so the parts are folded into one object first.
    """
    if "allOf" not in node:
        return node
    merged = {k: v for k, v in node.items() if k != "allOf"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in node["allOf"]:
        _name, part = spec.deref(part)
        part = flatten_all_of(spec, part)
        properties.update(part.get("properties", {}))
        required += part.get("required", [])
    properties.update(node.get("properties", {}))
    merged["properties"] = properties
    merged["required"] = sorted(set(required + node.get("required", [])))
    merged.setdefault("type", "object")
    return merged


def _is_int(_checker: Any, value: Any) -> bool:
    """JSON integers only: 1.0 and True are not integers on the wire we expect."""
    return isinstance(value, int) and not isinstance(value, bool)


def validator(spec: Spec, schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    """A strict validator: closed objects, no float-for-int, formats uuid/date/email checked."""
    checker = jsonschema.Draft7Validator.TYPE_CHECKER.redefine("integer", _is_int)
    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, type_checker=checker)
    formats = jsonschema.FormatChecker(["uuid", "date", "email"])
    return cls(closed_schema(spec, schema), format_checker=formats)


def errors(spec: Spec, schema: dict[str, Any], value: Any) -> list[str]:
    """Every validation error of `value`, as `path: message`, sorted."""
    found = validator(spec, schema).iter_errors(value)
    return sorted(f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found)


# -- full example values ----------------------------------------------------------------

@dataclass(frozen=True)
class Synth:
    """Builds a value for a schema with EVERY optional property present (bounded depth)."""

    spec: Spec
    max_depth: int = 8
    max_repeats: int = 1  # how often one component may nest inside itself

    def value(self, schema: dict[str, Any], where: str = "", stack: tuple[str, ...] = ()) -> Any:
        """A JSON value valid against `schema`."""
        name, schema = self.spec.deref(schema)
        if name is not None:
            stack = (*stack, name)
        schema = flatten_all_of(self.spec, schema)
        if "enum" in schema:
            return schema["enum"][_pick(where, len(schema["enum"]))]
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items", {})
            return [self.value(items, f"{where}/{i}", stack) for i in range(2 if self._deep_ok(stack) else 1)]
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._object(schema, where, stack)
        if kind is None:
            return {"anything": [1, "two", {"three": True}]}
        return _scalar(kind, schema.get("format", ""), where)

    def _deep_ok(self, stack: tuple[str, ...]) -> bool:
        too_deep = len(stack) > self.max_depth
        repeats = max((stack.count(n) for n in stack), default=0)
        return not too_deep and repeats <= self.max_repeats

    def _object(self, schema: dict[str, Any], where: str, stack: tuple[str, ...]) -> dict[str, Any]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        full = self._deep_ok(stack)
        out = {key: self.value(sub, f"{where}/{key}", stack)
               for key, sub in properties.items() if full or key in required}
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and extra:
            out["key1"] = self.value(extra, f"{where}/key1", stack)
        elif not properties:
            out.update({"free": "form", "count": 3, "nested": {"a": [1, 2]}})
        return out


def _pick(where: str, count: int) -> int:
    """A deterministic choice that varies by location (so arrays of enums differ)."""
    return sum(where.encode()) % count


def _scalar(kind: str, fmt: str, where: str) -> Any:
    """A scalar for a JSON type and OpenAPI format."""
    leaf = where.rsplit("/", 1)[-1] or "value"
    if kind == "string":
        if fmt == "uuid":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, where))
        return {"date": "2023-06-15", "date-time": "2023-06-15T10:20:30Z", "email": "someone@example.com",
                "uri": "https://example.com/" + leaf, "binary": "binary-" + leaf}.get(fmt, "text-" + leaf)
    if kind == "integer":
        return {"int64": 1686824430123, "int32": 42}.get(fmt, 7)
    if kind == "number":
        return 2.5
    if kind == "boolean":
        return True
    raise ValueError(f"no value for type {kind!r} at {where}")


# -- comparing a served value with what the SDK re-encodes ------------------------------

@dataclass(frozen=True)
class Difference:
    """One place where a decoded-and-re-encoded value differs from what was served."""

    where: str  # JSON pointer into the served value
    component: str  # nearest named schema ("" at the top of an inline schema)
    key: str  # the property (objects) or "" (values)
    served: Any
    decoded: Any

    @property
    def kind(self) -> str:
        """lost (served, not re-encoded) | added | changed."""
        if self.decoded is _MISSING:
            return "lost"
        if self.served is _MISSING:
            return "added"
        return "changed"

    def __str__(self) -> str:
        show = lambda v: "<missing>" if v is _MISSING else repr(v)[:120]  # noqa: E731
        return (f"{self.where or '/'} ({self.component}.{self.key}) {self.kind}: "
                f"served {show(self.served)}, got {show(self.decoded)}")


_MISSING = object()


def differences(spec: Spec, schema: dict[str, Any], served: Any, decoded: Any,
                where: str = "", component: str = "") -> Iterator[Difference]:
    """Walk `served` and `decoded` side by side under `schema`; yield every difference."""
    name, schema = spec.deref(schema)
    component = name or component
    schema = flatten_all_of(spec, schema)
    if isinstance(served, dict) and isinstance(decoded, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key in sorted(set(served) | set(decoded)):
            sub = properties.get(key, extra if isinstance(extra, dict) else {})
            yield from differences(spec, sub, served.get(key, _MISSING), decoded.get(key, _MISSING),
                                   f"{where}/{key}", component)
        return
    if isinstance(served, list) and isinstance(decoded, list) and len(served) == len(decoded):
        for index, (a, b) in enumerate(zip(served, decoded)):
            yield from differences(spec, schema.get("items", {}), a, b, f"{where}/{index}", component)
        return
    if not _same(served, decoded):
        key = where.rsplit("/", 1)[-1]
        yield Difference(where, component, key, served, decoded)


def _same(a: Any, b: Any) -> bool:
    """Equal JSON values of the same JSON type (1 is not 1.0, True is not 1)."""
    return type(a) is type(b) and a == b
