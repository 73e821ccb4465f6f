"""The intermediate schema (IR): frozen dataclasses, their JSON form, and validation.

The IR is a public contract (see README, "The intermediate schema"). Every node carries
its source span; passes build new values with `dataclasses.replace`, never edit in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from .diagnostics import Diagnostic

IR_VERSION = "1"

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
class Parameter:
    """A documented parameter of an operation (the Parameters table)."""

    name: str
    type: TypeRef
    required: bool
    source: Span
    description: str = ""
    example: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "type": self.type.to_dict(), "required": self.required,
                "description": self.description, "example": self.example,
                "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Parameter":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], type=TypeRef.from_dict(data["type"]),
                   required=bool(data["required"]), source=Span.from_dict(data["source"]),
                   description=data.get("description", ""), example=data.get("example", ""))


@dataclass(frozen=True, slots=True)
class ResponseField:
    """A typed body field of an operation's response; `status` when the docs tell it."""

    name: str
    type: Optional[TypeRef]
    source: Span
    status: str = ""
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "type": self.type.to_dict() if self.type else None,
                "status": self.status or None, "description": self.description,
                "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ResponseField":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], type=_opt_type(data.get("type")),
                   source=Span.from_dict(data["source"]), status=data.get("status") or "",
                   description=data.get("description", ""))


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """A row of an operation's Errors table: error type, status pattern, content type."""

    type: TypeRef
    status: str
    source: Span
    content_type: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"type": self.type.to_dict(), "status": self.status,
                "content_type": self.content_type, "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ErrorCase":
        """Inverse of `to_dict`."""
        return cls(type=TypeRef.from_dict(data["type"]), status=data["status"],
                   source=Span.from_dict(data["source"]),
                   content_type=data.get("content_type", ""))


@dataclass(frozen=True, slots=True)
class Route:
    """HTTP method and path of an operation (from configuration; docs do not state it)."""

    method: str
    path: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"method": self.method, "path": self.path}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Route":
        """Inverse of `to_dict`."""
        return cls(method=data["method"], path=data["path"])


@dataclass(frozen=True, slots=True)
class Example:
    """An example code block attached to an operation."""

    language: str
    code: str
    source: Span

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"language": self.language, "code": self.code, "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Example":
        """Inverse of `to_dict`."""
        return cls(language=data["language"], code=data["code"],
                   source=Span.from_dict(data["source"]))


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a resource group."""

    name: str
    source: Span
    summary: str = ""
    description: str = ""
    request: Optional[TypeRef] = None
    response: Optional[TypeRef] = None
    response_fields: tuple[ResponseField, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    errors: tuple[ErrorCase, ...] = ()
    route: Optional[Route] = None
    examples: tuple[Example, ...] = ()
    deprecated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name, "summary": self.summary, "description": self.description,
            "request": self.request.to_dict() if self.request else None,
            "response": self.response.to_dict() if self.response else None,
            "response_fields": [r.to_dict() for r in self.response_fields],
            "parameters": [p.to_dict() for p in self.parameters],
            "errors": [e.to_dict() for e in self.errors],
            "route": self.route.to_dict() if self.route else None,
            "examples": [e.to_dict() for e in self.examples],
            "deprecated": self.deprecated, "source": self.source.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Operation":
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"], source=Span.from_dict(data["source"]),
            summary=data.get("summary", ""), description=data.get("description", ""),
            request=_opt_type(data.get("request")), response=_opt_type(data.get("response")),
            response_fields=tuple(ResponseField.from_dict(r) for r in data.get("response_fields", ())),
            parameters=tuple(Parameter.from_dict(p) for p in data.get("parameters", ())),
            errors=tuple(ErrorCase.from_dict(e) for e in data.get("errors", ())),
            route=Route.from_dict(data["route"]) if data.get("route") else None,
            examples=tuple(Example.from_dict(e) for e in data.get("examples", ())),
            deprecated=bool(data.get("deprecated", False)),
        )


@dataclass(frozen=True, slots=True)
class Group:
    """A resource group page: its operations. The SDK root group has the name ``""``."""

    name: str
    source: Span
    description: str = ""
    operations: tuple[Operation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "description": self.description,
                "source": self.source.to_dict(),
                "operations": [o.to_dict() for o in self.operations]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Group":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], source=Span.from_dict(data["source"]),
                   description=data.get("description", ""),
                   operations=tuple(Operation.from_dict(o) for o in data.get("operations", ())))


@dataclass(frozen=True, slots=True)
class Server:
    """A server URL, with the variables its template names."""

    url: str
    source: Span
    description: str = ""
    variables: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"url": self.url, "description": self.description,
                "variables": {k: v for k, v in self.variables}, "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Server":
        """Inverse of `to_dict`."""
        return cls(url=data["url"], source=Span.from_dict(data["source"]),
                   description=data.get("description", ""),
                   variables=tuple(sorted(data.get("variables", {}).items())))


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """A security scheme: `scheme` is basic | bearer | api_key | oauth2 | other."""

    name: str
    scheme: str
    source: Span
    header: str = ""
    prefix: str = ""
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "scheme": self.scheme, "header": self.header,
                "prefix": self.prefix, "description": self.description,
                "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AuthScheme":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], scheme=data["scheme"], source=Span.from_dict(data["source"]),
                   header=data.get("header", ""), prefix=data.get("prefix", ""),
                   description=data.get("description", ""))


@dataclass(frozen=True, slots=True)
class Retries:
    """Retry defaults the docs or configuration state (milliseconds)."""

    strategy: str = "none"
    initial_interval: int = 500
    max_interval: int = 60000
    exponent: float = 1.5
    max_elapsed_time: int = 3600000
    retry_connection_errors: bool = True
    status_codes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"strategy": self.strategy, "initial_interval": self.initial_interval,
                "max_interval": self.max_interval, "exponent": self.exponent,
                "max_elapsed_time": self.max_elapsed_time,
                "retry_connection_errors": self.retry_connection_errors,
                "status_codes": list(self.status_codes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Retries":
        """Inverse of `to_dict`."""
        return cls(strategy=data.get("strategy", "none"),
                   initial_interval=int(data.get("initial_interval", 500)),
                   max_interval=int(data.get("max_interval", 60000)),
                   exponent=float(data.get("exponent", 1.5)),
                   max_elapsed_time=int(data.get("max_elapsed_time", 3600000)),
                   retry_connection_errors=bool(data.get("retry_connection_errors", True)),
                   status_codes=tuple(data.get("status_codes", ())))


@dataclass(frozen=True, slots=True)
class Api:
    """API-wide facts: title, package, SDK class, servers, auth, retries, dialects read."""

    title: str = ""
    description: str = ""
    package: str = ""
    sdk_class: str = ""
    servers: tuple[Server, ...] = ()
    auth: tuple[AuthScheme, ...] = ()
    retries: Retries = field(default_factory=Retries)
    naming: str = "as-documented"
    dialects: tuple[str, ...] = ()
    source: Span = field(default_factory=Span)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "title": self.title, "description": self.description, "package": self.package,
            "sdk_class": self.sdk_class, "servers": [s.to_dict() for s in self.servers],
            "auth": [a.to_dict() for a in self.auth], "retries": self.retries.to_dict(),
            "naming": self.naming, "dialects": list(self.dialects),
            "source": self.source.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Api":
        """Inverse of `to_dict`."""
        return cls(
            title=data.get("title", ""), description=data.get("description", ""),
            package=data.get("package", ""), sdk_class=data.get("sdk_class", ""),
            servers=tuple(Server.from_dict(s) for s in data.get("servers", ())),
            auth=tuple(AuthScheme.from_dict(a) for a in data.get("auth", ())),
            retries=Retries.from_dict(data.get("retries", {})),
            naming=data.get("naming", "as-documented"),
            dialects=tuple(data.get("dialects", ())),
            source=Span.from_dict(data.get("source", {})),
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
        if data.get("ir_version") != IR_VERSION:
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


def load_json(text: str) -> Schema:
    """Parse IR JSON text."""
    return Schema.from_dict(json.loads(text))
