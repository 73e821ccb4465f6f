"""Views of one models namespace module: dataclasses, enums, unions, response classes.

Every decision about a model's Python form is taken here: attribute names, hints, defaults,
field order (required first), wire keys, codec expressions and docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import ir
from .naming import dedupe, safe_identifier
from .view_codec import Codec, FieldView, FunctionView
from .view_layout import fill
from .view_model_layout import lay_out, names_literal
from .view_response import ResponseView, build_response
from .view_roles import Roles
from .view_text import docstring, py_str, py_value
from .view_types import MODULE_ALIASES, NamedNode, Scope, Symbols, Uses

# Class attributes every model defines, the module aliases its annotations use, and `mro`:
# dataclasses read a field's default with getattr(cls, name), which finds `type.mro`.
_MODEL_RESERVED = frozenset({"to_dict", "from_dict", "to_json", "from_json", "from_python_dict", "_auth_headers",
                             "_wire_keys", "_required_keys", "mro"}) | MODULE_ALIASES
_ERROR_RESERVED = frozenset({"args", "with_traceback", "add_note", "http_status", "body_excerpt"})
# `object` is the annotation of `_missing_`'s argument in every enum body.
_ENUM_RESERVED = frozenset({"name", "value", "mro", "object"}) | MODULE_ALIASES


@dataclass(frozen=True)
class ModelView:
    """A model dataclass with its generated codec."""

    name: str
    docstring: str
    decorator: str
    bases: str
    fields: tuple[FieldView, ...]
    classvars: tuple[str, ...]
    dict_hint: str
    self_hint: str
    extra: str
    decode_head: tuple[str, ...]
    decoders: tuple[str, ...]
    decode_extra: str
    encoders: tuple[str, ...]
    optional_encoders: tuple[tuple[str, str, str], ...]
    coercions: Optional[tuple[tuple[str, str], ...]]
    auth: tuple[str, ...]
    # Laid out by view_model_layout.lay_out: the parameters of from_dict and from_python_dict,
    # and the return statement of _auth_headers.
    from_dict_params: str = ""
    from_python_params: str = ""
    auth_return: str = ""


def _decode_head(decoders: list[str]) -> tuple[str, ...]:
    """`from_dict`'s first lines: the unknown keys (a model without fields keeps the whole dict
    instead) and `_g = d.get` when an optional field reads it."""
    if not decoders:
        return ()
    head = ["_e = None if d.keys() <= cls._wire_keys else d.keys() - cls._wire_keys"]
    return tuple(head + (["_g = d.get"] if any("_g(" in line for line in decoders) else []))


@dataclass(frozen=True)
class EnumView:
    """An enum tolerant of unknown values."""

    name: str
    docstring: str
    base: str
    members: tuple[tuple[str, str], ...]
    member_map: str


@dataclass(frozen=True)
class AliasView:
    """A documented union: a type alias plus its decoder function."""

    name: str
    hint: str


@dataclass(frozen=True)
class NamespaceView:
    """Everything one `models/<namespace>/__init__.py` holds."""

    module: str
    docstring: str
    imports: tuple[str, ...]
    reexports: tuple[str, ...]
    enums: tuple[EnumView, ...]
    models: tuple[ModelView, ...]
    responses: tuple[ResponseView, ...]
    aliases: tuple[AliasView, ...]
    functions: tuple[FunctionView, ...]


def field_names(model: ir.Model, reserved: frozenset[str]) -> list[str]:
    """Python attribute names of a model's fields, in documented order, unique."""
    return dedupe(safe_identifier(f.name, reserved) for f in model.fields)


def model_field_names(model: ir.Model, roles: Roles) -> list[str]:
    """The attribute names `build_model` gives a model's fields (errors reserve a few more)."""
    reserved = _MODEL_RESERVED | (_ERROR_RESERVED if roles.is_error(model) else frozenset())
    return field_names(model, reserved)


def _ordered(model: ir.Model, names: list[str]) -> list[tuple[ir.Field, str]]:
    """Fields paired with their Python names, required ones first (documented order kept)."""
    pairs = list(zip(model.fields, names))
    return [p for p in pairs if p[0].required] + [p for p in pairs if not p[0].required]


def _field_doc(model: ir.Model, pairs: list[tuple[ir.Field, str]]) -> str:
    """Class docstring: the model's description, then its documented attributes."""
    lines = [model.description or f"{model.name} ({model.namespace or 'shared'} model)."]
    described = [(name, f) for f, name in pairs if f.description or f.deprecated]
    if described:
        lines += ["", "Attributes:"]
        for name, f in described:
            note = (" (deprecated)" if f.deprecated else "") + (f": {f.description}" if f.description else "")
            lines.append(f"    {name}{note}")
    return "\n".join(lines)


def _raw_field(t: ir.TypeRef) -> ir.Field:
    """The `raw_response` attribute added to error models that do not document one."""
    return ir.Field(name="raw_response", type=t, required=False, source=ir.Span())


def _wire(f: ir.Field) -> str:
    return f.wire_name or f.name


def _decoder(codec: Codec, f: ir.Field) -> str:
    """The from_dict argument of a field: required keys indexed, optional ones fetched with get().

    Arguments are positional, in field order: a positional call skips matching keyword names
    in the dataclass __init__, which is a large share of decoding time."""
    key = py_str(_wire(f))
    if f.type.kind == "http_response":
        return "None"
    src = f'd[{key}]' if f.required else f'_g({key})'
    expr = codec.decode(f.type, "_v")
    if expr is None:
        return src
    if f.required and not f.nullable:
        return codec.decode(f.type, src) or src
    return f"None if (_v := {src}) is None else {expr}"


def _encoder(codec: Codec, f: ir.Field, name: str) -> Optional[str]:
    """`"wire": <expr>` of a required field for to_dict's dict literal (None: never on the wire)."""
    if f.type.kind == "http_response" or not f.required:
        return None
    src = f"self.{name}"
    expr = codec.encode(f.type, src)
    if expr is None:
        return f"{py_str(_wire(f))}: {src}"
    if not f.nullable:
        return f"{py_str(_wire(f))}: {expr}"
    return f"{py_str(_wire(f))}: None if {src} is None else {expr}"


def _optional_encoder(codec: Codec, f: ir.Field, name: str) -> Optional[tuple[str, str, str]]:
    """(attribute, wire key, expression) of an optional field, set in to_dict only when not None."""
    if f.type.kind == "http_response" or f.required:
        return None
    src = f"self.{name}"
    return name, py_str(_wire(f)), codec.encode(f.type, src) or src


def _hint(scope: Scope, f: ir.Field) -> tuple[str, str]:
    """(hint, default) of an attribute: optional and nullable fields admit None."""
    hint = scope.hint(f.type)
    if f.type.kind == "http_response":
        return f"{hint} | None", " = None"
    if hint != "_t.Any" and (f.nullable or not f.required):
        hint = f"{hint} | None"
    return hint, "" if f.required else " = None"


def build_model(model: ir.Model, scope: Scope, codec: Codec, roles: Roles) -> ModelView:
    """The dataclass view of one model."""
    symbol = scope.symbols.of(model)
    is_error = roles.is_error(model)
    names = model_field_names(model, roles)
    extra = dedupe(["additional_properties"], names)[0]
    pairs = _ordered(model, names)
    inner = scope.shadow(frozenset(names) | {extra})
    fields = [FieldView(name, *_hint(inner, f)) for f, name in pairs]
    decoders = [_decoder(codec, f) for f, _ in pairs]
    if is_error and not any(f.type.kind == "http_response" for f, _ in pairs):
        raw = ir.TypeRef(kind="http_response")
        fields.append(FieldView(dedupe(["raw_response"], names + [extra])[0], *_hint(inner, _raw_field(raw))))
        decoders.append("None")
    fields.append(FieldView(extra, f"{inner.builtin('dict')}[{inner.builtin('str')}, _t.Any] | None", " = None"))
    wire = [_wire(f) for f, _ in pairs if f.type.kind != "http_response"]
    required = [_wire(f) for f, _ in pairs if f.required and f.type.kind != "http_response"]
    text = inner.builtin("str")
    # Annotated on _rt.Model as ClassVars; plain assignments here are not dataclass fields.
    classvars = (names_literal("_wire_keys", wire, "key_set"), names_literal("_required_keys", required, "key_tuple"))
    encoders = [e for f, name in pairs if (e := _encoder(codec, f, name))]
    optional_encoders = [o for f, name in pairs if (o := _optional_encoder(codec, f, name))]
    return lay_out(ModelView(
        name=symbol.name, docstring=docstring(_field_doc(model, pairs), 4),
        decorator="@_dc.dataclass(slots=True, eq=False)" if is_error else "@_dc.dataclass(slots=True)",
        bases="(_rt.APIError)" if is_error else "(_rt.Model)", fields=tuple(fields), classvars=classvars,
        dict_hint=f"{inner.builtin('dict')}[{text}, _t.Any]", self_hint=inner.ref(symbol), extra=extra,
        decode_head=_decode_head(decoders), decoders=tuple(decoders),
        decode_extra="{_k: d[_k] for _k in _e} if _e else None" if decoders else f"{inner.builtin('dict')}(d) or None",
        encoders=tuple(encoders),
        optional_encoders=tuple(optional_encoders),
        coercions=_coercions(codec, pairs) if roles.is_request(model) else None,
        auth=roles.auth_lines(model, dict((f.name, n) for f, n in pairs)),
    ))


def _coercions(codec: Codec, pairs: list[tuple[ir.Field, str]]) -> tuple[tuple[str, str], ...]:
    """(python key, expression over `_v`) for fields whose plain-Python form needs converting."""
    out = []
    for f, name in pairs:
        expr = codec.coerce(f.type, "_v")
        if expr is not None:
            out.append((py_str(name), expr))
    return tuple(out)


def build_enum(enum: ir.Enum, symbols: Symbols) -> EnumView:
    """An enum view: int-valued when every value is an integer, else string-valued."""
    symbol = symbols.of(enum)
    values = [m.value for m in enum.members]
    integral = bool(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if enum.value_type == "integer" and not integral:
        converted = [_as_int(v) for v in values]
        integral = all(v is not None for v in converted)
        values = converted if integral else values
    names = dedupe(_member_name(m) for m in enum.members)
    members = tuple((n, py_value(v if integral else str(v))) for n, v in zip(names, values))
    doc = enum.description or f"{enum.name}: documented values; unknown values decode to a pseudo-member."
    member_map = fill(f"_M_{symbol.name} = ", f"_rt.member_map({symbol.name})", "", 0)
    return EnumView(symbol.name, docstring(doc, 4), "int" if integral else "str", members, member_map)


def _member_name(member: ir.EnumMember) -> str:
    """An enum member name; `_x` names would clash with Enum's reserved `_sunder_` names."""
    name = safe_identifier(member.name or str(member.value) or "EMPTY", _ENUM_RESERVED)
    return "V" + name if name.startswith("_") else name


def _as_int(value: object) -> Optional[int]:
    try:
        return int(str(value))
    except ValueError:
        return None


def build_namespace(namespace: str, schema: ir.Schema, symbols: Symbols, roles: Roles) -> NamespaceView:
    """The view of one models namespace module."""
    uses = Uses()
    scope = Scope(symbols, uses, namespace)
    codec = Codec(scope)
    module = symbols.namespaces[namespace]
    enums = tuple(build_enum(e, symbols) for e in schema.enums if e.namespace == namespace)
    models, responses = [], []
    for model in (m for m in schema.models if m.namespace == namespace):
        info = roles.response_info(model)
        if info is not None:
            responses.append(build_response(model, info, scope, codec, roles.error_like))
        else:
            models.append(build_model(model, scope, codec, roles))
    aliases, functions = [], []
    for union in (u for u in schema.unions if u.namespace == namespace):
        name = symbols.of(union).name
        hint = scope.union_hint(union.variants, quote=True)
        aliases.append(AliasView(name, fill(f"{name}: _t.TypeAlias = ", hint, "", 0)))
        functions.append(codec.named_union(union, name))
    title = f"Models of the {module!r} namespace"
    return NamespaceView(
        module=module, docstring=docstring(f"{title} (generated by docs2sdk; do not edit).", 0),
        imports=_imports(uses, module), reexports=_reexports(namespace, schema, symbols),
        enums=enums, models=tuple(models), responses=tuple(responses), aliases=tuple(aliases),
        functions=tuple(functions) + tuple(codec.functions),
    )


_RUNTIME_ERRORS = ("APIConnectionError", "APIError", "APITimeoutError", "NoRouteError", "NoServerError", "SDKError")


def _reexports(namespace: str, schema: ir.Schema, symbols: Symbols) -> tuple[str, ...]:
    """The errors namespace also exports the SDK's own error classes (unless a class there has the name)."""
    if namespace != "errors":
        return ()
    nodes: list[NamedNode] = [*schema.models, *schema.enums, *schema.unions]
    taken = {symbols.of(n).name for n in nodes if n.namespace == "errors"}
    return tuple(f"from ..._runtime import {n} as {n}" for n in _RUNTIME_ERRORS if n not in taken)


def _imports(uses: Uses, module: str) -> tuple[str, ...]:
    """Import lines of a models module (stdlib, httpx, runtime, sibling namespaces)."""
    lines = ["import builtins as _builtins"] if uses.builtins else []
    lines += ["import dataclasses as _dc", "import datetime as _dt", "import decimal as _decimal",
              "import enum as _enum", "import typing as _t", ""]
    if "httpx" in uses.modules:
        lines += ["import httpx as _httpx", ""]
    lines.append("from ... import _runtime as _rt")
    if "utils" in uses.modules:
        lines.append("from ... import utils")
    siblings = sorted(uses.modules - {"httpx", "utils", module})
    lines += [f"from .. import {m}" for m in siblings]
    lines += [f"from .. import {m} as _ns_{m}" for m in sorted(uses.aliased)]
    return tuple(lines)
