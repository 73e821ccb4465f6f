"""Roles models play in the API: raised errors, request inputs, credentials and responses.

A model's role changes what is generated for it: documented errors become exceptions,
request inputs accept plain dicts, credential models know their HTTP headers, and response
models decode HTTP responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import ir
from .naming import to_snake
from .view_text import py_str
from .view_types import Symbols

Key = tuple[str, str]
_ERROR_SUFFIXES = ("Error", "Exception", "ExceptionInfo", "Fault", "Problem")


@dataclass(frozen=True)
class ResponseInfo:
    """The operation a response model answers, and the status each body field is documented for."""

    operation: ir.Operation
    statuses: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AuthSpec:
    """How one credential goes into a request: scheme (basic|bearer|api_key), header, prefix."""

    scheme: str
    header: str
    prefix: str


class Roles:
    """Which models are errors, request inputs, credentials and responses."""

    def __init__(self, schema: ir.Schema, symbols: Symbols) -> None:
        self.api = schema.api
        self.symbols = symbols
        self.models = {(m.namespace, m.name): m for m in schema.models}
        ops = [op for group in schema.groups for op in group.operations]
        self.errors = {k for op in ops for case in op.errors if (k := self.model_key(case.type))}
        self.security = {k for op in ops for p in op.parameters if p.name == "security" and (k := self.model_key(p.type))}
        self.security |= {k for k in self.models if k[1] == "Security" and k[0] in ("shared", "components", "")}
        roots = [t for op in ops for t in (op.request, *(p.type for p in op.parameters)) if t is not None]
        self.requests = self._closure(roots)
        self.responses: dict[Key, ResponseInfo] = {}
        for op in ops:
            key = self.model_key(op.response) if op.response else None
            if key and key not in self.responses:
                statuses = tuple((r.name, r.status) for r in op.response_fields if r.status)
                self.responses[key] = ResponseInfo(op, statuses)

    def model_of(self, t: Optional[ir.TypeRef]) -> Optional[ir.Model]:
        """The model a ref names, or None."""
        key = self.model_key(t)
        return self.models[key] if key else None

    def model_key(self, t: Optional[ir.TypeRef]) -> Optional[Key]:
        """(namespace, name) of the model a ref names, or None when it names no model."""
        if t is None or t.kind != "ref":
            return None
        symbol = self.symbols.find(t)
        if symbol is None or symbol.kind != "model" or symbol.node is None:
            return None
        return (symbol.node.namespace, symbol.node.name)

    def _closure(self, roots: list[ir.TypeRef]) -> set[Key]:
        """Every model reachable from the given types through fields."""
        seen: set[Key] = set()
        stack = [r for t in roots for r in t.refs()]
        while stack:
            key = self.model_key(stack.pop())
            if key is None or key in seen:
                continue
            seen.add(key)
            stack.extend(r for f in self.models[key].fields for r in f.type.refs())
        return seen

    def is_error(self, model: ir.Model) -> bool:
        """A model that a documented errors table says the SDK raises."""
        return (model.namespace, model.name) in self.errors

    def is_request(self, model: ir.Model) -> bool:
        """A model reachable from some operation's request or parameters."""
        return (model.namespace, model.name) in self.requests

    def response_info(self, model: ir.Model) -> Optional[ResponseInfo]:
        """The operation whose response this model is, if any."""
        return self.responses.get((model.namespace, model.name))

    def error_like(self, t: Optional[ir.TypeRef]) -> bool:
        """A body type for error statuses: an errors-namespace model or an *Error/*Exception model."""
        key = self.model_key(t)
        return key is not None and (key[0] == "errors" or key[1].endswith(_ERROR_SUFFIXES))

    def auth_spec(self, field_name: str, wire: str, field_type: ir.TypeRef) -> AuthSpec:
        """How a credential field is sent: a scheme of the same name, the only scheme, or a guess."""
        schemes = self.api.auth
        named = [s for s in schemes if s.name in (field_name, wire) or to_snake(s.name) == field_name]
        scheme = named[0] if named else (schemes[0] if len(schemes) == 1 else None)
        if scheme is not None:
            kind = scheme.scheme
        elif self._is_basic(field_type) or "basic" in field_name:
            kind = "basic"
        elif any(word in field_name.lower() for word in ("bearer", "token", "oauth", "openid")):
            kind = "bearer"
        else:
            kind = "api_key"
        kind = {"oauth2": "bearer", "openid": "bearer", "other": "api_key"}.get(kind, kind)
        header = (scheme.header if scheme else "") or "Authorization"
        return AuthSpec(kind, header, scheme.prefix if scheme else "")

    def _is_basic(self, t: ir.TypeRef) -> bool:
        key = self.model_key(t)
        names = {f.name for f in self.models[key].fields} if key else set()
        return {"username", "password"} <= names

    def auth_lines(self, model: ir.Model, names: dict[str, str]) -> tuple[str, ...]:
        """`(scheme, value, header, prefix)` tuples for `_rt.auth_headers` (empty: not a credential model)."""
        if (model.namespace, model.name) not in self.security:
            return ()
        fields = {f.name for f in model.fields}
        if {"username", "password"} <= fields and not any(s.name in fields for s in self.api.auth):
            spec = self.auth_spec("basic", "basic", ir.TypeRef(kind="any"))
            return (f"(\"basic\", self, {py_str(spec.header)}, {py_str(spec.prefix)})",)
        lines = []
        for f in model.fields:
            spec = self.auth_spec(f.name, f.wire_name, f.type)
            lines.append(f"({py_str(spec.scheme)}, self.{names[f.name]}, {py_str(spec.header)}, "
                         f"{py_str(spec.prefix)})")
        return tuple(lines)
