"""Named types, name scopes and type hints of the generated code.

`Symbols` indexes every model, enum and union under its Python name; a `Scope` turns a type
tree into a hint as written in one module (qualifying names that a class body shadows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from . import ir
from .naming import class_identifier, dedupe, safe_identifier
from .view_text import py_value

NamedNode = Union[ir.Model, ir.Enum, ir.Union]
UTILS_NAMES = ("RetryConfig", "BackoffStrategy")
# Module-level names of a models module that classes must not take: the future import and the
# module aliases the templates use (a class `_rt` or `_enum` would shadow them).
MODULE_ALIASES = frozenset({"_builtins", "_dc", "_dt", "_decimal", "_enum", "_t", "_httpx", "_rt"})
_MODULE_NAMES = frozenset({"annotations"}) | MODULE_ALIASES


@dataclass(frozen=True)
class Symbol:
    """A named type: kind is model | enum | union | utils; `name` is the Python name."""

    kind: str
    namespace: str
    name: str
    node: Optional[NamedNode] = None

    @property
    def is_int_enum(self) -> bool:
        """An enum whose values are integers."""
        return isinstance(self.node, ir.Enum) and self.node.value_type == "integer"


class Symbols:
    """Every named type of a schema, by (namespace, documented name), with Python names."""

    def __init__(self, schema: ir.Schema, namespaces: dict[str, str]) -> None:
        self.namespaces = namespaces  # documented namespace -> Python module name
        self._by_key: dict[tuple[str, str], Symbol] = {}
        self._by_name: dict[str, list[Symbol]] = {}
        # Per node: two pages with one name in one namespace (a model and an enum `Foo`) are two
        # classes with deduped names; refs resolve to the first, `of` gives each its own.
        self._by_node: dict[int, Symbol] = {}
        nodes: list[tuple[str, NamedNode]] = [("enum", e) for e in schema.enums]
        nodes += [("model", m) for m in schema.models] + [("union", u) for u in schema.unions]
        reserved = frozenset(namespaces.values()) | _MODULE_NAMES
        for namespace in sorted({n.namespace for _, n in nodes}):
            group = [(k, n) for k, n in nodes if n.namespace == namespace]
            names = dedupe(class_identifier(n.name, reserved) for _, n in group)
            # Each enum E also defines the module-level table `_M_E`; no class may take that name.
            tables = {f"_M_{name}" for (kind, _), name in zip(group, names) if kind == "enum"}
            if tables & set(names):
                names = dedupe((class_identifier(n.name, reserved) for _, n in group), tables)
            for (kind, node), name in zip(group, names):
                symbol = Symbol(kind, namespace, name, node)
                self._by_node[id(node)] = symbol  # the node stays alive in the symbol, so its id is unique
                self._add(symbol, node.name)
        for name in UTILS_NAMES:
            self._add(Symbol("utils", "utils", name), name)

    def _add(self, symbol: Symbol, documented: str) -> None:
        key = (symbol.namespace, documented)
        if key not in self._by_key:
            self._by_key[key] = symbol
            self._by_name.setdefault(documented, []).append(symbol)

    def find(self, t: ir.TypeRef, prefer: str = "") -> Optional[Symbol]:
        """The symbol a ref names: its namespace when given, else `prefer`, else the first."""
        if t.namespace:
            found = self._by_key.get((t.namespace, t.name))
            if found or t.namespace != "utils":
                return found
        candidates = self._by_name.get(t.name, [])
        for symbol in candidates:
            if symbol.namespace == prefer:
                return symbol
        return candidates[0] if candidates else None

    def of(self, node: NamedNode) -> Symbol:
        """The symbol of a defined node (a copy made from one by `replace` gets the documented name's)."""
        return self._by_node.get(id(node)) or self._by_key[(node.namespace, node.name)]

    def module(self, symbol: Symbol) -> str:
        """The Python module name that holds a symbol (`shared`, `operations`, `utils`)."""
        return "utils" if symbol.kind == "utils" else self.namespaces[symbol.namespace]


def namespace_modules(schema: ir.Schema) -> dict[str, str]:
    """Documented namespace -> module name under models/ (identifiers, unique, stable)."""
    nodes: list[NamedNode] = [*schema.models, *schema.enums, *schema.unions]
    documented = sorted({n.namespace for n in nodes} | {"errors"})
    documented = [n for n in documented if n != "utils"]
    reserved = frozenset({"utils", "models"})
    modules = dedupe((safe_identifier(n or "shared", reserved).lower() for n in documented))
    return dict(zip(documented, modules))


@dataclass
class Uses:
    """What one generated module needs imported, collected while its hints are written."""

    modules: set[str] = field(default_factory=set)
    aliased: set[str] = field(default_factory=set)
    builtins: bool = False


@dataclass(frozen=True)
class Scope:
    """Where a hint is written: the module's namespace and the names a class body shadows."""

    symbols: Symbols
    uses: Uses
    namespace: Optional[str] = None  # the models namespace of the module, None elsewhere
    shadowed: frozenset[str] = frozenset()

    def shadow(self, names: frozenset[str]) -> "Scope":
        """The scope inside a class body whose attributes are `names`."""
        return Scope(self.symbols, self.uses, self.namespace, names)

    def builtin(self, name: str) -> str:
        """A builtin type as written here."""
        if name in self.shadowed:
            self.uses.builtins = True
            return f"_builtins.{name}"
        return name

    def ref(self, symbol: Symbol, *, code: bool = False) -> str:
        """A named type as written here (`code`: in a function body, where no class shadows)."""
        module = self.symbols.module(symbol)
        local = symbol.namespace == self.namespace and symbol.kind != "utils"
        if not local:
            self.uses.modules.add(module)
        head = symbol.name if local else module
        if code or head not in self.shadowed:
            return symbol.name if local else f"{module}.{symbol.name}"
        self.uses.aliased.add(module)
        return f"_ns_{module}.{symbol.name}"

    def hint(self, t: Optional[ir.TypeRef], *, quote: bool = False) -> str:
        """The type hint of a type tree (`quote`: names quoted, for runtime-evaluated aliases)."""
        if t is None:
            return "_t.Any"
        simple = _SIMPLE_HINTS.get(t.kind)
        if t.kind == "http_response":
            self.uses.modules.add("httpx")
        if simple:
            return self.builtin(simple) if simple.isidentifier() else simple
        if t.kind == "ref":
            symbol = self.symbols.find(t, self.namespace or "")
            if symbol is None:
                return "_t.Any"
            text = self.ref(symbol)
            return f'"{text}"' if quote else text
        if t.kind == "list":
            return f"{self.builtin('list')}[{self.hint(t.items, quote=quote)}]"
        if t.kind == "map":
            return f"{self.builtin('dict')}[{self.builtin('str')}, {self.hint(t.values, quote=quote)}]"
        if t.kind == "literal":
            return f"_t.Literal[{py_value(t.value)}]" if isinstance(t.value, (str, int, bool)) else "_t.Any"
        if t.kind == "union":
            return self.union_hint(t.variants, quote=quote)
        return "_t.Any"

    def union_hint(self, variants: tuple[ir.TypeRef, ...], *, quote: bool = False) -> str:
        """`A | B` in annotations, `_t.Union[A, B]` where the hint is evaluated at run time."""
        hints = list(dict.fromkeys(self.hint(v, quote=quote) for v in variants))
        if "_t.Any" in hints:
            return "_t.Any"
        if len(hints) == 1:
            return hints[0]
        return f"_t.Union[{', '.join(hints)}]" if quote else " | ".join(hints)


_SIMPLE_HINTS = {
    "string": "str", "integer": "int", "number": "float", "boolean": "bool", "bytes": "bytes",
    "date": "_dt.date", "datetime": "_dt.datetime", "decimal": "_decimal.Decimal", "any": "_t.Any",
    "http_response": "_httpx.Response",
}
