"""IR type trees and source spans: the leaves every other IR node is built from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

PRIMITIVE_KINDS = (
    "string", "integer", "number", "boolean", "date", "datetime", "decimal", "bytes", "any",
)
TYPE_KINDS = PRIMITIVE_KINDS + ("ref", "list", "map", "union", "literal", "http_response")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node was read: a docs-relative file path and a 1-based line."""

    file: str = ""
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"file": self.file, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Span":
        """Inverse of `to_dict`."""
        return cls(file=data.get("file", ""), line=int(data.get("line", 0)))


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type tree node. Which attributes are set depends on `kind`.

    ref: `name` (and `namespace` when the docs say it); list: `items`; map: `values`
    (keys are strings); union: `variants`; literal: `value`; http_response: the raw
    HTTP response object that SDKs attach to responses.
    """

    kind: str
    name: str = ""
    namespace: str = ""
    items: Optional["TypeRef"] = None
    values: Optional["TypeRef"] = None
    variants: tuple["TypeRef", ...] = ()
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form: only the keys that belong to the kind."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "ref":
            out["name"] = self.name
            if self.namespace:
                out["namespace"] = self.namespace
        elif self.kind == "list" and self.items is not None:
            out["items"] = self.items.to_dict()
        elif self.kind == "map" and self.values is not None:
            out["values"] = self.values.to_dict()
        elif self.kind == "union":
            out["variants"] = [v.to_dict() for v in self.variants]
        elif self.kind == "literal":
            out["value"] = self.value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TypeRef":
        """Inverse of `to_dict`."""
        kind = data["kind"]
        return cls(
            kind=kind,
            name=data.get("name", ""),
            namespace=data.get("namespace", ""),
            items=cls.from_dict(data["items"]) if "items" in data else None,
            values=cls.from_dict(data["values"]) if "values" in data else None,
            variants=tuple(cls.from_dict(v) for v in data.get("variants", ())),
            value=data.get("value"),
        )

    def refs(self) -> list["TypeRef"]:
        """Every `ref` node in this tree, depth first."""
        if self.kind == "ref":
            return [self]
        found: list[TypeRef] = []
        for child in (self.items, self.values, *self.variants):
            if child is not None:
                found.extend(child.refs())
        return found


def prim(kind: str) -> TypeRef:
    """A primitive type node."""
    return TypeRef(kind=kind)


def ref(name: str, namespace: str = "") -> TypeRef:
    """A reference to a named model, enum or union."""
    return TypeRef(kind="ref", name=name, namespace=namespace)


def list_of(items: TypeRef) -> TypeRef:
    """A list type."""
    return TypeRef(kind="list", items=items)


def map_of(values: TypeRef) -> TypeRef:
    """A string-keyed map type."""
    return TypeRef(kind="map", values=values)


def union_of(*variants: TypeRef) -> TypeRef:
    """A union type."""
    return TypeRef(kind="union", variants=tuple(variants))


def _opt_type(data: Any) -> Optional[TypeRef]:
    return TypeRef.from_dict(data) if data else None
