"""IR nodes for operations, resource groups and API-wide facts (servers, auth, retries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .ir_paging import HeaderParam, Pagination
from .ir_types import Span, TypeRef, _opt_type


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
    """HTTP method and path of an operation, and the inputs sent as headers (from configuration;
    docs do not state them)."""

    method: str
    path: str
    headers: tuple[HeaderParam, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"method": self.method, "path": self.path, "headers": [h.to_dict() for h in self.headers]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Route":
        """Inverse of `to_dict`."""
        return cls(method=data["method"], path=data["path"],
                   headers=tuple(HeaderParam.from_dict(h) for h in data.get("headers", ())))


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
    pagination: Optional[Pagination] = None

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
            "pagination": self.pagination.to_dict() if self.pagination else None,
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
            pagination=Pagination.from_dict(data["pagination"]) if data.get("pagination") else None,
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
    retry_non_idempotent: bool = False
    status_codes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"strategy": self.strategy, "initial_interval": self.initial_interval,
                "max_interval": self.max_interval, "exponent": self.exponent,
                "max_elapsed_time": self.max_elapsed_time,
                "retry_connection_errors": self.retry_connection_errors,
                "retry_non_idempotent": self.retry_non_idempotent,
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
                   retry_non_idempotent=bool(data.get("retry_non_idempotent", False)),
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
