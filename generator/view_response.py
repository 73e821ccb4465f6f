"""Views of response classes: which body field an HTTP response fills, decided per status and shape.

Rules: a field whose documented status matches wins; otherwise 2xx bodies go to the non-error
fields and error statuses to the error-model fields (errors namespace, *Error/*Exception
names); among several candidates the one whose model the body fits best (required keys
present, most known keys) is filled. Bytes fields take the raw body, string fields the text
of a non-JSON body, `headers` maps the response headers, http_response fields the response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import ir
from .naming import dedupe, safe_identifier
from .view_codec import Codec, FieldView
from .view_layout import block_lines
from .view_roles import ResponseInfo
from .view_text import docstring, py_str
from .view_types import MODULE_ALIASES, Scope

_STANDARD = ("status_code", "content_type", "raw_response")
_RESERVED = frozenset({"_fill", "_raw", "_body", "mro"}) | MODULE_ALIASES  # mro: see view_models


@dataclass(frozen=True)
class ResponseView:
    """A response dataclass: standard fields first, then the documented body fields."""

    name: str
    docstring: str
    fields: tuple[FieldView, ...]
    body: str
    base: str
    bool_hint: str
    fill: tuple[str, ...]
    raw: tuple[str, ...]


@dataclass(frozen=True)
class _Body:
    """A documented body field with its Python name and its documented status (if any)."""

    field: ir.Field
    name: str
    status: str


def _standard_fields(scope: Scope, names: dict[str, str]) -> list[FieldView]:
    hints = {"status_code": scope.builtin("int"), "content_type": scope.builtin("str"),
             "raw_response": scope.hint(ir.TypeRef(kind="http_response"))}
    return [FieldView(names[n], hints[n], "") for n in _STANDARD]


def _body_decoder(codec: Codec, t: ir.TypeRef) -> str:
    """The value of a body field from the decoded JSON `data`. An enum is called directly: once
    per response, the member-map lookup models use for speed would only lengthen the line."""
    symbol = codec.symbol(t) if t.kind == "ref" else None
    if symbol is not None and symbol.kind == "enum":
        return f"{codec.scope.ref(symbol, code=True)}(data)"
    return codec.decode(t, "data") or "data"


def _choose(codec: Codec, bodies: list[_Body], strict: bool) -> list[str]:
    """Lines that fill one of `bodies` from `data` and return True (strict: only on a fit)."""
    def fill(body: _Body) -> list[str]:
        return [f"self.{body.name} = {_body_decoder(codec, body.field.type)}", "return True"]

    if len(bodies) == 1 and not strict:
        return fill(bodies[0])
    if len(bodies) == 1:
        return [f"if _rt.fit(data, {codec.shape(bodies[0].field.type)}) >= 0:"] + ["    " + x for x in fill(bodies[0])]
    shapes = ", ".join(codec.shape(b.field.type) for b in bodies)
    lines = [f"_i = _rt.pick(data, ({shapes}))"]
    for index, body in enumerate(bodies):
        lines += [f"if _i == {index}:"] + ["    " + x for x in fill(body)]
    return lines


def _fill_lines(codec: Codec, bodies: list[_Body], error_like: set[str]) -> list[str]:
    """Body of `_fill(data, ok)`."""
    lines: list[str] = []
    explicit = [b for b in bodies if b.status]
    for status in dict.fromkeys(b.status for b in explicit):
        chosen = [b for b in explicit if b.status == status]
        lines.append(f"if _rt.status_matches({py_str(status)}, self.status_code):")
        lines += ["    " + x for x in _choose(codec, chosen, strict=len(chosen) > 1)]
    rest = [b for b in bodies if not b.status]
    ok = [b for b in rest if b.name not in error_like]
    errors = [b for b in rest if b.name in error_like]
    if ok:
        lines += ["if ok:"] + ["    " + x for x in _choose(codec, ok, strict=False)]
    if errors:
        lines += ["if not ok:"] + ["    " + x for x in _choose(codec, errors, strict=True)]
    return lines + ["return False"] if lines else []


def _raw_lines(fields: list[tuple[ir.Field, str]]) -> list[str]:
    """Body of `_raw(ok)`: headers always; response, bytes and text on success."""
    lines: list[str] = []
    on_ok: list[str] = []
    texts: list[str] = []
    for f, name in fields:
        kind = f.type.kind
        if f.name == "headers" and kind == "map":
            lines.append(f"self.{name} = _rt.header_lists(self.raw_response)")
        elif kind == "http_response":
            on_ok.append(f"self.{name} = self.raw_response")
        elif kind == "bytes":
            on_ok.append(f"self.{name} = self.raw_response.content")
        elif kind == "string":
            texts.append(f"    self.{name} = self.raw_response.text")
    if texts:
        on_ok += ["if not _rt.is_json(self.content_type):"] + texts[:1]
    if on_ok:
        lines += ["if ok:"] + ["    " + x for x in on_ok]
    return lines


def build_response(model: ir.Model, info: ResponseInfo, scope: Scope, codec: Codec,
                   error_like: Callable[[ir.TypeRef], bool]) -> ResponseView:
    """The view of a response model (operations.<Op>Response)."""
    symbol = scope.symbols.of(model)
    documented = [f for f in model.fields if f.name not in _STANDARD]
    names = dedupe([*_STANDARD, *(safe_identifier(f.name, _RESERVED) for f in documented)])
    standard = dict(zip(_STANDARD, names[:3]))
    pairs = list(zip(documented, names[3:]))
    inner = scope.shadow(frozenset(names))
    fields = _standard_fields(inner, standard)
    fields += [FieldView(name, _optional(inner.hint(f.type)), " = None") for f, name in pairs]
    fields = [f.declared(4) for f in fields]
    statuses = dict(info.statuses)
    raw_kinds = ("http_response", "bytes")
    bodies = [_Body(f, name, statuses.get(f.name, "")) for f, name in pairs
              if f.type.kind not in raw_kinds and not (f.name == "headers" and f.type.kind == "map")]
    roles_error = {b.name for b in bodies if error_like(b.field.type)}
    ok_json = [b for b in bodies if b.name not in roles_error or b.status]
    ok_mode = "text" if any(b.field.type.kind == "string" for b in ok_json) else ("json" if ok_json else "")
    error_mode = "json" if roles_error or any(b.status for b in bodies) else ""
    doc = model.description or f"The response of {info.operation.name}: status, headers and the decoded body."
    return ResponseView(
        name=symbol.name, docstring=docstring(doc, 4), fields=tuple(fields),
        body=f"_body: _t.ClassVar[{inner.builtin('tuple')}[{inner.builtin('str')}, {inner.builtin('str')}]] = "
             f"({py_str(ok_mode)}, {py_str(error_mode)})",
        base="_rt.PagedResponse" if info.operation.pagination is not None else "_rt.Response",
        bool_hint=inner.builtin("bool"), fill=block_lines(_fill_lines(codec, bodies, roles_error), 8),
        raw=block_lines(_raw_lines(pairs), 8),
    )


def _optional(hint: str) -> str:
    return hint if hint == "_t.Any" else f"{hint} | None"
