"""The intermediate schema (IR): frozen dataclasses, their JSON form, and validation.

The IR is a public contract (see README, "The intermediate schema"). Every node carries
its source span; passes build new values with `dataclasses.replace`, never edit in place.
Type trees live in `ir_types`, operations/groups/API facts in `ir_ops`; both are
re-exported here so callers use `ir.<Node>` throughout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .ir_paging import PAGINATION_KINDS, HeaderParam, Pagination
from .ir_ops import (
    Api, AuthScheme, ErrorCase, Example, Group, Operation, Parameter, ResponseField, Retries, Route, Server,
)
from .ir_types import PRIMITIVE_KINDS, TYPE_KINDS, Span, TypeRef, list_of, map_of, prim, ref, union_of

__all__ = [
    "IR_VERSION", "PRIMITIVE_KINDS", "TYPE_KINDS", "Api", "AuthScheme", "Diagnostic", "Enum", "EnumMember",
    "ErrorCase", "Example", "Field", "Group", "HeaderParam", "Model", "Operation", "PAGINATION_KINDS", "Pagination",
    "Parameter", "ResponseField", "Retries",
    "Route", "Schema", "Server", "Span", "TypeRef", "Union", "Unresolved", "dump_compact", "dump_json", "list_of",
    "load_json", "map_of", "prim", "ref", "union_of",
]

IR_VERSION = "2"
# IR versions `from_dict` reads: version 1 lacks route headers and pagination (read as none).
READABLE_IR_VERSIONS = ("1", "2")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a model, as the docs' Fields table states it."""

    name: str
    type: TypeRef
    required: bool
    source: Span
    wire_name: str = ""
    nullable: bool = False
    description: str = ""
    example: str = ""
    deprecated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name, "wire_name": self.wire_name, "type": self.type.to_dict(),
            "required": self.required, "nullable": self.nullable,
            "description": self.description, "example": self.example,
            "deprecated": self.deprecated, "source": self.source.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Field":
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"], type=TypeRef.from_dict(data["type"]),
            required=bool(data["required"]), source=Span.from_dict(data["source"]),
            wire_name=data.get("wire_name", ""), nullable=bool(data.get("nullable", False)),
            description=data.get("description", ""), example=data.get("example", ""),
            deprecated=bool(data.get("deprecated", False)),
        )


@dataclass(frozen=True, slots=True)
class Model:
    """An object model page (or a named table inside one)."""

    name: str
    namespace: str
    fields: tuple[Field, ...]
    source: Span
    description: str = ""
    deprecated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name, "namespace": self.namespace, "description": self.description,
            "deprecated": self.deprecated, "source": self.source.to_dict(),
            "fields": [f.to_dict() for f in self.fields],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Model":
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"], namespace=data.get("namespace", ""),
            fields=tuple(Field.from_dict(f) for f in data.get("fields", ())),
            source=Span.from_dict(data["source"]), description=data.get("description", ""),
            deprecated=bool(data.get("deprecated", False)),
        )


@dataclass(frozen=True, slots=True)
class EnumMember:
    """One row of an enum's Values table."""

    name: str
    value: Any
    source: Span
    deprecated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "value": self.value, "deprecated": self.deprecated,
                "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EnumMember":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], value=data["value"], source=Span.from_dict(data["source"]),
                   deprecated=bool(data.get("deprecated", False)))


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum page: string or integer values."""

    name: str
    namespace: str
    value_type: str
    members: tuple[EnumMember, ...]
    source: Span
    description: str = ""
    deprecated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name, "namespace": self.namespace, "value_type": self.value_type,
            "description": self.description, "deprecated": self.deprecated,
            "source": self.source.to_dict(), "members": [m.to_dict() for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Enum":
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"], namespace=data.get("namespace", ""),
            value_type=data["value_type"],
            members=tuple(EnumMember.from_dict(m) for m in data.get("members", ())),
            source=Span.from_dict(data["source"]), description=data.get("description", ""),
            deprecated=bool(data.get("deprecated", False)),
        )


@dataclass(frozen=True, slots=True)
class Union:
    """A union page ("Supported Types")."""

    name: str
    namespace: str
    variants: tuple[TypeRef, ...]
    source: Span
    description: str = ""
    discriminator: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name, "namespace": self.namespace, "description": self.description,
            "discriminator": self.discriminator or None, "source": self.source.to_dict(),
            "variants": [v.to_dict() for v in self.variants],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Union":
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"], namespace=data.get("namespace", ""),
            variants=tuple(TypeRef.from_dict(v) for v in data.get("variants", ())),
            source=Span.from_dict(data["source"]), description=data.get("description", ""),
            discriminator=data.get("discriminator") or "",
        )


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A type that is referenced but defined by no page, with where it was referenced."""

    name: str
    namespace: str
    referenced_from: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "namespace": self.namespace,
                "referenced_from": [s.to_dict() for s in self.referenced_from]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Unresolved":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], namespace=data.get("namespace", ""),
                   referenced_from=tuple(Span.from_dict(s) for s in data.get("referenced_from", ())))


@dataclass(frozen=True, slots=True)
class Schema:
    """The whole IR document."""

    api: Api
    models: tuple[Model, ...] = ()
    enums: tuple[Enum, ...] = ()
    unions: tuple[Union, ...] = ()
    groups: tuple[Group, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form (top level of the IR document)."""
        return {
            "ir_version": IR_VERSION, "api": self.api.to_dict(),
            "models": [m.to_dict() for m in self.models],
            "enums": [e.to_dict() for e in self.enums],
            "unions": [u.to_dict() for u in self.unions],
            "groups": [g.to_dict() for g in self.groups],
            "unresolved": [u.to_dict() for u in self.unresolved],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Schema":
        """Inverse of `to_dict`; raises ValueError on an unknown `ir_version`."""
        if data.get("ir_version") not in READABLE_IR_VERSIONS:
            raise ValueError(f"unsupported ir_version {data.get('ir_version')!r}; expected {IR_VERSION!r}")
        return cls(
            api=Api.from_dict(data.get("api", {})),
            models=tuple(Model.from_dict(m) for m in data.get("models", ())),
            enums=tuple(Enum.from_dict(e) for e in data.get("enums", ())),
            unions=tuple(Union.from_dict(u) for u in data.get("unions", ())),
            groups=tuple(Group.from_dict(g) for g in data.get("groups", ())),
            unresolved=tuple(Unresolved.from_dict(u) for u in data.get("unresolved", ())),
            diagnostics=tuple(Diagnostic.from_dict(d) for d in data.get("diagnostics", ())),
        )


def dump_json(schema: Schema) -> str:
    """Deterministic JSON text: sorted keys, 2-space indent, newline at end."""
    return json.dumps(schema.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def dump_compact(schema: Schema) -> str:
    """The same JSON without indentation (json's C encoder; for caches, not for people)."""
    return json.dumps(schema.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_json(text: str) -> Schema:
    """Parse IR JSON text."""
    return Schema.from_dict(json.loads(text))
