"""JSON codec expressions: straight-line decode/encode/coerce code per type, and union decoders.

Every expression is built for one type tree and one source expression, so the generated
`from_dict` of a class is a single `cls(...)` call with one expression per field: no run-time
reflection and no per-field dispatch through generic helpers (unions excepted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from . import ir
from .view_layout import block_lines, declaration, params
from .view_text import docstring, py_str, py_value
from .view_types import Scope, Symbol

_PASS = ("string", "integer", "number", "boolean", "literal", "http_response")
_DECODE = {"date": "_rt.parse_date({})", "datetime": "_rt.parse_datetime({})",
           "decimal": "_rt.to_decimal({})", "bytes": "_rt.b64decode({})"}
# Free-form (`any`) values pass as given: JSON-native data needs no work, and rich values
# inside them (models, dates, decimals) are encoded by _rt.dumps when the JSON text is written.
_ENCODE = {"date": "{}.isoformat()", "datetime": "_rt.format_datetime({})", "bytes": "_rt.b64encode({})"}
# Per JSON type: a strict test (value must parse) or a lenient one (accepts any such value).
_STRICT_STR = {"date": "_rt.try_date", "datetime": "_rt.try_datetime", "decimal": "_rt.try_decimal",
               "bytes": "_rt.try_b64decode"}


@dataclass(frozen=True)
class FieldView:
    """One dataclass attribute: `name: hint<default>`."""

    name: str
    hint: str
    default: str

    def declared(self, indent: int) -> "FieldView":
        """The attribute with its hint and default in black's layout at `indent`."""
        return FieldView(self.name, *declaration(self.name, self.hint, self.default, indent))


@dataclass(frozen=True)
class FunctionView:
    """A module-level function: name, parameters, return hint, docstring, body lines."""

    name: str
    params: str
    returns: str
    docstring: str
    lines: tuple[str, ...]


@dataclass
class Codec:
    """Codec expressions for one module; union decoders it needs are collected in `functions`."""

    scope: Scope
    functions: list[FunctionView] = field(default_factory=list)
    _inline: dict[str, str] = field(default_factory=dict)

    def symbol(self, t: ir.TypeRef) -> Optional[Symbol]:
        """The named type a ref points at (None for unresolved refs)."""
        return self.scope.symbols.find(t, self.scope.namespace or "")

    def decode(self, t: Optional[ir.TypeRef], src: str, depth: int = 0) -> Optional[str]:
        """Expression turning JSON value `src` into the Python value; None when it is `src` itself."""
        if t is None or t.kind in _PASS or t.kind == "any":
            return None
        if t.kind in _DECODE:
            return _DECODE[t.kind].format(src)
        if t.kind == "ref":
            return self._decode_ref(t, src)
        if t.kind in ("list", "map"):
            inner = self.decode(t.items if t.kind == "list" else t.values, f"_x{depth}", depth + 1)
            return None if inner is None else _comprehension(t.kind, inner, src, depth)
        if t.kind == "union":
            return f"{self.inline_union(t)}({src})"
        return None

    def _decode_ref(self, t: ir.TypeRef, src: str) -> Optional[str]:
        symbol = self.symbol(t)
        if symbol is None or symbol.kind == "utils":
            return None
        ref = self.scope.ref(symbol, code=True)
        if symbol.kind == "model":
            return f"{ref}.from_dict({src})"
        head, _, name = ref.rpartition(".")
        prefix = head + "." if head else ""
        if symbol.kind == "enum":
            # A dict lookup is ~10x cheaper than Enum.__call__, which still handles misses
            # (and falsy members) and makes the pseudo-member of an unknown value.
            return f"{prefix}_M_{name}.get({src}) or {ref}({src})"
        return f"{prefix}_union_{name}({src})"

    def encode(self, t: Optional[ir.TypeRef], src: str, depth: int = 0) -> Optional[str]:
        """Expression turning Python value `src` into its JSON-ready form; None when unchanged.

        Decimals stay `decimal.Decimal` (the SDK writes them as exact JSON numbers)."""
        if t is None or t.kind in _PASS or t.kind in ("decimal", "any"):
            return None
        if t.kind in _ENCODE:
            return _ENCODE[t.kind].format(src)
        if t.kind == "ref":
            symbol = self.symbol(t)
            if symbol is None or symbol.kind in ("union", "utils"):
                return f"_rt.encode_any({src})"
            # Enum members are str/int instances: JSON writes their value as is.
            return f"{src}.to_dict()" if symbol.kind == "model" else None
        if t.kind in ("list", "map"):
            inner = self.encode(t.items if t.kind == "list" else t.values, f"_x{depth}", depth + 1)
            return None if inner is None else _comprehension(t.kind, inner, src, depth)
        return f"_rt.encode_any({src})"

    def coerce(self, t: Optional[ir.TypeRef], src: str, depth: int = 0) -> Optional[str]:
        """Expression turning a plain-Python value (dicts for models, raw enum values) into the typed one."""
        if t is None:
            return None
        if t.kind == "ref":
            symbol = self.symbol(t)
            if symbol is None or symbol.kind not in ("model", "enum"):
                return None
            ref = self.scope.ref(symbol, code=True)
            return f"_rt.coerce_model({ref}, {src})" if symbol.kind == "model" else f"{ref}({src})"
        if t.kind in ("list", "map"):
            inner = self.coerce(t.items if t.kind == "list" else t.values, f"_x{depth}", depth + 1)
            return None if inner is None else _comprehension(t.kind, inner, src, depth)
        return None

    def shape(self, t: Optional[ir.TypeRef]) -> str:
        """What `_rt.pick` compares a JSON value against: a model class or a JSON type."""
        if t is None:
            return "object"
        if t.kind == "ref":
            symbol = self.symbol(t)
            if symbol is not None and symbol.kind == "model":
                return self.scope.ref(symbol, code=True)
            if symbol is not None and symbol.kind == "enum":
                return "int" if symbol.is_int_enum else "str"
            return "object"
        return {"list": "list", "map": "dict", "string": "str", "integer": "int", "number": "float",
                "boolean": "bool", "date": "str", "datetime": "str", "bytes": "str"}.get(t.kind, "object")

    # -- unions ---------------------------------------------------------------------------

    def named_union(self, union: ir.Union, name: str) -> FunctionView:
        """The decoder of a documented union (kept by its namespace module)."""
        label = f"{name}: {self.scope.union_hint(union.variants)}"
        lines = self.union_lines(union.variants, name)
        return _decoder_view(f"_union_{name}", docstring(f"Decode a {label}.", 4), lines)

    def inline_union(self, t: ir.TypeRef) -> str:
        """The name of this module's decoder for an anonymous union type (made once per shape)."""
        key = json.dumps(t.to_dict(), sort_keys=True)
        if key not in self._inline:
            name = f"_inline_{len(self._inline) + 1}"
            self._inline[key] = name
            label = self.scope.union_hint(t.variants)
            lines = self.union_lines(t.variants, label)
            self.functions.append(_decoder_view(name, docstring(f"Decode one of: {label}.", 4), lines))
        return self._inline[key]

    def _flatten(self, variants: tuple[ir.TypeRef, ...], seen: frozenset[str] = frozenset()) -> list[ir.TypeRef]:
        """Variants with documented unions expanded (cycles cut), duplicates removed."""
        out: list[ir.TypeRef] = []
        for variant in variants:
            symbol = self.symbol(variant) if variant.kind == "ref" else None
            if symbol is not None and symbol.kind == "union" and isinstance(symbol.node, ir.Union):
                key = f"{symbol.namespace}.{symbol.name}"
                if key not in seen:
                    out.extend(self._flatten(symbol.node.variants, seen | {key}))
            elif variant.kind == "union":
                out.extend(self._flatten(variant.variants, seen))
            else:
                out.append(variant)
        unique = {json.dumps(v.to_dict(), sort_keys=True): v for v in reversed(out)}
        return [v for v in out if unique.get(json.dumps(v.to_dict(), sort_keys=True)) is v]

    def union_lines(self, variants: tuple[ir.TypeRef, ...], label: str) -> tuple[str, ...]:
        """Body of a union decoder: branch on the JSON type, then on each variant's fit."""
        flat = self._flatten(variants)
        lines: list[str] = []
        for test, build in (("str", self._str_branch), ("bool", self._bool_branch), ("int", self._number_branch),
                            ("float", self._number_branch), ("list", self._list_branch),
                            ("dict", self._dict_branch)):
            body = build(flat, test)
            if body:
                lines.append(f"if isinstance(v, {test}):")
                lines.extend("    " + line for line in body)
        if any(v.kind == "any" for v in flat):
            lines.append("return v")
        else:
            lines.append(f"raise _rt.DecodeError({py_str(label)}, v)")
        return tuple(lines)

    def _returning(self, t: ir.TypeRef) -> str:
        return f"return {self.decode(t, 'v') or 'v'}"

    def _str_branch(self, flat: list[ir.TypeRef], _test: str) -> list[str]:
        lines, lenient, tolerant = [], [], []
        for t in flat:
            symbol = self.symbol(t) if t.kind == "ref" else None
            if symbol is not None and symbol.kind == "enum" and not symbol.is_int_enum:
                ref = self.scope.ref(symbol, code=True)
                lines += [f"if v in {ref}._value2member_map_:", f"    return {ref}(v)"]
                tolerant.append(f"return {ref}(v)")
            elif t.kind in _STRICT_STR:
                # One temporary per kind: a shared `_p` would be datetime in one test and bytes in the next.
                lines += [f"if (_p_{t.kind} := {_STRICT_STR[t.kind]}(v)) is not None:", f"    return _p_{t.kind}"]
            elif t.kind == "literal" and isinstance(t.value, str):
                lines += [f"if v == {py_value(t.value)}:", "    return v"]
            elif t.kind == "string":
                lenient.append("return v")
        return lines + (lenient or tolerant)[:1]

    def _bool_branch(self, flat: list[ir.TypeRef], _test: str) -> list[str]:
        wanted = any(t.kind == "boolean" or (t.kind == "literal" and isinstance(t.value, bool)) for t in flat)
        numeric = any(t.kind in ("integer", "number", "decimal") or self._int_enum(t) for t in flat)
        if wanted:
            return ["return v"]
        return ["raise _rt.DecodeError(\"a boolean is not a number here\", v)"] if numeric else []

    def _int_enum(self, t: ir.TypeRef) -> bool:
        symbol = self.symbol(t) if t.kind == "ref" else None
        return symbol is not None and symbol.is_int_enum

    def _number_branch(self, flat: list[ir.TypeRef], test: str) -> list[str]:
        lines, lenient, tolerant = [], [], []
        for t in flat:
            if self._int_enum(t) and test == "int":
                symbol = self.symbol(t)
                assert symbol is not None
                ref = self.scope.ref(symbol, code=True)
                lines += [f"if v in {ref}._value2member_map_:", f"    return {ref}(v)"]
                tolerant.append(f"return {ref}(v)")
            elif t.kind == "literal" and type(t.value).__name__ == test:
                lines += [f"if v == {py_value(t.value)}:", "    return v"]
            elif (t.kind == "integer" and test == "int") or t.kind == "number":
                lenient.append("return v")
            elif t.kind == "decimal":
                lenient.append("return _rt.to_decimal(v)")
        return lines + (lenient or tolerant)[:1]

    def _list_branch(self, flat: list[ir.TypeRef], _test: str) -> list[str]:
        lists = [t for t in flat if t.kind == "list"]
        return [self._returning(lists[0])] if lists else []

    def _dict_branch(self, flat: list[ir.TypeRef], _test: str) -> list[str]:
        models = [t for t in flat if t.kind == "ref" and (s := self.symbol(t)) is not None and s.kind == "model"]
        maps = [t for t in flat if t.kind == "map"]
        lines: list[str] = []
        if len(models) == 1 and not maps:
            return [self._returning(models[0])]
        if models:
            shapes = ", ".join(self.shape(t) for t in models)
            lines.append(f"_i = _rt.pick(v, ({shapes}{',' if len(models) == 1 else ''}))")
            for index, t in enumerate(models):
                lines += [f"if _i == {index}:", f"    {self._returning(t)}"]
        if maps:
            lines.append(self._returning(maps[0]))
        return lines


def _decoder_view(name: str, doc: str, lines: tuple[str, ...]) -> FunctionView:
    """A union decoder `name(v)` with its body laid out (see view_layout)."""
    return FunctionView(name, params(f"def {name}(", ["v: _t.Any"], ") -> _t.Any:", 0), "_t.Any", doc,
                        block_lines(lines, 4))


def _comprehension(kind: str, inner: str, src: str, depth: int) -> str:
    """A list or dict comprehension applying `inner` (written over `_x<depth>`) to each item;
    `list(map(f, src))` when `inner` is a plain call `f(_x<depth>)` (faster, and shorter)."""
    var = f"_x{depth}"
    if kind == "list" and inner.endswith(f"({var})") and inner.count("(") == 1 and " " not in inner:
        return f"list(map({inner[: -len(var) - 2]}, {src}))"
    if kind == "list":
        return f"[{inner} for _x{depth} in {src}]"
    return f"{{_k{depth}: {inner} for _k{depth}, _x{depth} in {src}.items()}}"
