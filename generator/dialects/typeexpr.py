"""Shared type-expression machinery: a tokenizer, a parser cursor and grammar helpers.

The markdown pre-pass (`markup`) turns a Type cell into atoms (characters and links); the
tokenizer here turns atoms into tokens; each dialect is a small recursive-descent grammar
over a `TokenStream`. Errors are recorded in the parse state, never raised.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..ir import TypeRef, list_of, prim, ref, union_of
from .base import ParsedType
from .markup import (
    Atom, Char, Link, is_external, is_placeholder, namespace_from_target, read_markup,
)

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
MAX_TEXT = 4000
MAX_NESTING = 60


@dataclass(frozen=True, slots=True)
class Token:
    """A lexical token: kind is name | punct | string | number | link | end."""

    kind: str
    text: str
    pos: int
    link: Optional[Link] = None


def _name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_.\\"


def tokenize(atoms: list[Atom], end_pos: int) -> list[Token]:
    """Group atoms into tokens; whitespace separates and is dropped."""
    tokens: list[Token] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if isinstance(atom, Link):
            tokens.append(Token("link", "", atom.pos, atom))
            i += 1
            continue
        j = _scan(atoms, i)
        text = "".join(a.ch for a in atoms[i:j] if isinstance(a, Char))
        if not text.isspace():
            tokens.append(Token(_kind_of(text), text, atom.pos))
        i = j
    return tokens + [Token("end", "", end_pos)]


def _scan(atoms: list[Atom], i: int) -> int:
    """Index after the token starting at atom i (a name, string, number or one char)."""
    def ch(k: int) -> str:
        a = atoms[k] if k < len(atoms) else None
        return a.ch if isinstance(a, Char) else ""

    first = ch(i)
    if first in "\"'":
        j = i + 1
        while j < len(atoms) and ch(j) and ch(j) != first:
            j += 1
        return min(j + 1, len(atoms))
    if first.isdigit() or (first == "-" and ch(i + 1).isdigit()):
        j = i + 1
        while ch(j).isdigit() or (ch(j) == "." and ch(j + 1).isdigit()):
            j += 1
        return j
    if first.isspace():
        j = i + 1
        while ch(j).isspace():
            j += 1
        return j
    if _name_char(first) and first != ".":
        j = i + 1
        while ch(j) and _name_char(ch(j)):
            j += 1
        return j
    return i + 1


def _kind_of(text: str) -> str:
    if text[0] in "\"'":
        return "string"
    if _NUMBER.fullmatch(text):
        return "number"
    return "name" if _name_char(text[0]) and text[0] != "." else "punct"


@dataclass
class ParseState:
    """What one parse collects: link targets, the first error, the date-swap flag."""

    links: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    error: str = ""
    date_label_swapped: bool = False
    depth: int = 0  # type layers open in `TokenStream.nested`


class TokenStream:
    """A cursor over tokens with the helpers grammars share; errors go to `state`."""

    def __init__(self, tokens: list[Token], state: ParseState, *, default_ns: str = "",
                 in_external: bool = False) -> None:
        """Wrap `tokens`; `default_ns` comes from the enclosing link target."""
        self.tokens, self.state, self.i = tokens, state, 0
        self.default_ns, self.in_external = default_ns, in_external

    def peek(self, ahead: int = 0) -> Token:
        """The token `ahead` places on (the end token past the end)."""
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        """Consume and return the current token."""
        tok = self.peek()
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def at(self, text: str, ahead: int = 0) -> bool:
        """True when the token `ahead` is the punctuation or name `text`."""
        tok = self.peek(ahead)
        return tok.kind in ("punct", "name") and tok.text == text

    def accept(self, text: str) -> bool:
        """Consume the token if it is `text`."""
        if self.at(text):
            self.next()
            return True
        return False

    def expect(self, text: str) -> bool:
        """Consume `text` or record an error."""
        if self.accept(text):
            return True
        self.fail(f"expected {text!r}")
        return False

    @property
    def failed(self) -> bool:
        """True once any error was recorded (parsing then winds down)."""
        return bool(self.state.error)

    def fail(self, message: str, tok: Optional[Token] = None, *, found: bool = True) -> TypeRef:
        """Record the first error with the token's position; return `any` to keep going."""
        tok = tok or self.peek()
        text = tok.text if len(tok.text) <= 60 else tok.text[:60] + "..."  # a token can be 4000 characters
        seen = "end of text" if tok.kind == "end" else repr(text or "[link]")
        if not self.state.error:
            what = f", found {seen}" if found else ""
            self.state.error = f"{message}{what} at position {tok.pos}"
        return prim("any")

    def nested(self, parse: Callable[["TokenStream"], tuple[TypeRef, bool]]) -> tuple[TypeRef, bool]:
        """`parse(self)` one type layer deeper; past MAX_NESTING layers an error instead.

        The text guard in `run` measures bracket depth; prefix constructors such as Go's
        `[N]X` close their brackets before the nested type starts, so grammars with them
        also count the layers they actually open.
        """
        if self.state.depth >= MAX_NESTING:
            return self.fail(f"type nested deeper than {MAX_NESTING} levels", found=False), False
        self.state.depth += 1
        result = parse(self)
        self.state.depth -= 1
        return result

    def make_ref(self, qualified: str) -> TypeRef:
        """A ref from `ns.Name`, `a.b.ns.Name` or `\\a\\Ns\\Name`; else the link's namespace."""
        parts = [p for p in re.split(r"[.\\]", qualified) if p]
        if not parts:
            return self.fail("expected a type name")
        namespace = parts[-2].lower() if len(parts) > 1 else self.default_ns
        return ref(parts[-1], namespace)


def parse_link(stream: TokenStream, tok: Token, grammar: "Grammar") -> tuple[TypeRef, bool]:
    """Record a link's target and parse its label with the same grammar."""
    link, state = tok.link, stream.state
    if link is None:
        return stream.fail("expected a link", tok), False
    (state.placeholders if is_placeholder(link.target) else state.links).append(link.target)
    inner = TokenStream(tokenize(list(link.children), link.label_end), state,
                        default_ns=namespace_from_target(link.target) or stream.default_ns,
                        in_external=is_external(link.target))
    result = grammar.parse_top(inner)
    if inner.peek().kind != "end":
        inner.fail("unexpected text in link")
    return result


def parse_args(stream: TokenStream, parse_one: Callable[[TokenStream], tuple[TypeRef, bool]],
               close: str) -> list[tuple[TypeRef, bool]]:
    """Comma-separated type arguments up to and including `close` (opener consumed)."""
    args: list[tuple[TypeRef, bool]] = []
    while not stream.failed:
        args.append(parse_one(stream))
        if not stream.accept(","):
            stream.expect(close)
            break
        if stream.accept(close):  # a trailing comma
            break
    return args


def array_suffixes(stream: TokenStream, result: tuple[TypeRef, bool]) -> tuple[TypeRef, bool]:
    """`T[]`, `T[][]`...: each `[]` after a type makes a list of it (Java, TypeScript)."""
    while not stream.failed and stream.at("[") and stream.at("]", 1):
        stream.next()
        stream.next()
        result = list_of(result[0]), False
    return result


def named_type(stream: TokenStream, tok: Token, text: str, primitives: dict[str, str],
               constants: dict[str, Any], is_ref: Callable[[str], bool]) -> TypeRef:
    """A type name: a primitive, a constant (a literal type), a model reference, else an error."""
    if text in primitives:
        return prim(primitives[text])
    if text in constants:
        return TypeRef(kind="literal", value=constants[text])
    if is_ref(text):
        return stream.make_ref(text)
    return stream.fail(f"unknown type name {text!r}", tok, found=False)


def parse_literal(stream: TokenStream, tok: Token) -> TypeRef:
    """A literal type from a string or number token; a number no float can hold is an error."""
    if tok.kind == "string":
        return TypeRef(kind="literal", value=tok.text[1:-1])
    number = float(tok.text) if "." in tok.text else int(tok.text)
    if isinstance(number, float) and not math.isfinite(number):  # JSON has no Infinity
        return stream.fail("number literal out of range", tok, found=False)
    return TypeRef(kind="literal", value=number)


def join_union(variants: list[tuple[TypeRef, bool]]) -> tuple[TypeRef, bool]:
    """One type from union members: null members make it optional; one member stands alone."""
    if len(variants) == 1:
        return variants[0]  # not a union: a lone `None` stays a literal for the outer union
    optional = any(opt for _, opt in variants)
    kept: list[TypeRef] = []
    for type_, _ in variants:
        if not (type_.kind == "literal" and type_.value is None) and type_ not in kept:
            kept.append(type_)  # `Union[bytes, IO[bytes]]` is just bytes
    optional = optional or any(t.kind == "literal" and t.value is None for t, _ in variants)
    if not kept:
        return prim("any"), True
    return (kept[0] if len(kept) == 1 else union_of(*kept)), optional


class Grammar(ABC):
    """A dialect grammar: `parse_top` reads one full type, returning (type, optional)."""

    @abstractmethod
    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """Parse a complete type expression."""

    def parse_link(self, stream: TokenStream, tok: Token) -> tuple[TypeRef, bool]:
        """Parse a link token's label (see `parse_link`)."""
        return parse_link(stream, tok, self)


def _nesting(text: str) -> int:
    """Deepest bracket nesting plus the layers brackets do not show: bounds recursion and tree depth.

    Stars (Go pointers, markdown emphasis), `[]` (Go slices, TypeScript arrays: the brackets
    close at once) and `map[` (Go maps: the value type follows the `]`) each add a layer.
    """
    depth = deepest = 0
    for ch in text:
        depth += (ch in "[<({") - (ch in "]>)}")
        deepest = max(deepest, depth)
    return deepest + text.count("*") + text.count("[]") + text.count("map[")


def run(grammar: Grammar, text: str, *, markdown: bool) -> ParsedType:
    """Parse `text` (markdown or bare code) with `grammar` into a ParsedType."""
    state = ParseState()
    if len(text) > MAX_TEXT or _nesting(text) > MAX_NESTING:
        # Real type cells are short and shallow; this keeps recursion far from the limit.
        state.error = (f"type text too long ({len(text)} characters) or nested deeper than "
                       f"{MAX_NESTING} levels")
        return ParsedType(type=prim("any"), error=state.error)
    atoms: list[Atom] = read_markup(text) if markdown else [Char(c, k) for k, c in enumerate(text)]
    stream = TokenStream(tokenize(atoms, len(text.rstrip())), state)
    if stream.peek().kind == "end":
        stream.fail("empty type")
    type_, optional = grammar.parse_top(stream)
    if stream.peek().kind != "end":
        stream.fail("unexpected text after the type")
    if state.error:
        type_ = prim("any")
    return ParsedType(type=type_, optional=optional and not state.error,
                      links=tuple(state.links), placeholder_links=tuple(state.placeholders),
                      error=state.error, date_label_swapped=state.date_label_swapped)


class GrammarDialect(Grammar):
    """A Dialect implemented by a grammar; subclasses set the class attributes below."""

    name: str = ""
    fence_languages: tuple[str, ...] = ()
    lower_case_stems: bool = True

    def parse_type(self, text: str) -> ParsedType:
        """Parse the raw markdown of a Type cell."""
        return run(self, text, markdown=True)

    def parse_code_type(self, text: str) -> ParsedType:
        """Parse a bare type expression taken from code."""
        return run(self, text, markdown=False)

    def model_file_stem(self, name: str) -> str:
        """Lower-cased name or the name as-is, per dialect."""
        return name.lower() if self.lower_case_stems else name
