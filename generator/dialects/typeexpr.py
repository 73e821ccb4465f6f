"""Shared type-expression machinery: a markdown pre-pass, a tokenizer and a parser cursor.

A Type cell is raw inline markdown (`[Optional[shared.X]](../../models/shared/x.md)`,
`**string*`, `Record<string, *any*>`). The pre-pass turns it into atoms (characters and
links, emphasis and escapes removed); the tokenizer turns atoms into tokens; each dialect
is a recursive-descent grammar over a `TokenStream`. Errors are recorded, never raised.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from ..ir import TypeRef, prim, ref, union_of
from .base import ParsedType

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&#124;": "|", "&quot;": '"'}
_MODELS_NS = re.compile(r"(?:^|/)models/([^/]+)/")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Char:
    """One character of the cell text; `escaped` when markdown escaped it (`\\*`)."""

    ch: str
    pos: int
    escaped: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A markdown link: its label as atoms (itself a type expression) and its target."""

    children: tuple["Atom", ...]
    target: str
    pos: int
    label_end: int


Atom = Union[Char, Link]


def _match(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index of the bracket closing the one at `start`, or -1; escapes do not count."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _link_target(raw: str) -> str:
    """The destination of `(dest "title")`, without a title or angle brackets."""
    dest = raw.strip().split(" ", 1)[0] if raw.strip() else ""
    return dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest


def read_atoms(text: str, start: int = 0, end: Optional[int] = None) -> list[Atom]:
    """Markdown pre-pass over text[start:end]: links, escapes, entities; code ticks dropped."""
    stop = len(text) if end is None else end
    atoms: list[Atom] = []
    i = start
    while i < stop:
        ch = text[i]
        if ch == "\\" and i + 1 < stop and text[i + 1] in _PUNCT:
            atoms.append(Char(text[i + 1], i, escaped=True))
            i += 2
        elif ch == "`":
            i += 1  # a code span around a type only marks it as code: drop the ticks
        elif ch == "&" and (entity := _entity_at(text, i)):
            atoms.append(Char(_ENTITIES[entity], i, escaped=True))
            i += len(entity)
        elif ch == "[" and (link := _link_at(text, i, stop)) is not None:
            atoms.append(link[0])
            i = link[1]
        else:
            atoms.append(Char(ch, i))
            i += 1
    return atoms


def _entity_at(text: str, i: int) -> str:
    return next((e for e in _ENTITIES if text.startswith(e, i)), "")


def _link_at(text: str, i: int, stop: int) -> Optional[tuple[Link, int]]:
    """A link starting at `[`, with the index after it; None when the `[` is literal."""
    close = _match(text, i, "[", "]")
    if close < 0 or close + 1 >= stop or text[close + 1] != "(":
        return None
    paren = _match(text, close + 1, "(", ")")
    if paren < 0 or paren >= stop:
        return None
    label = strip_emphasis(read_atoms(text, i + 1, close))
    return Link(tuple(label), _link_target(text[close + 2:paren]), i, close), paren + 1


def _is_star(atom: Atom) -> bool:
    return isinstance(atom, Char) and atom.ch == "*" and not atom.escaped


def _is_blank(atoms: list[Atom], i: int) -> bool:
    """True outside the list or on whitespace (a link counts as text)."""
    if i < 0 or i >= len(atoms):
        return True
    atom = atoms[i]
    return isinstance(atom, Char) and atom.ch.isspace()


def strip_emphasis(atoms: list[Atom]) -> list[Atom]:
    """Remove `*`/`**` emphasis delimiters, keeping unmatched stars (Go pointers).

    A simplified CommonMark delimiter match: a run can close when text precedes it and
    open when text follows it; a closer pairs with the nearest opener. So `**string*`
    keeps its first star: emphasis around `*string`, which is a Go pointer.
    """
    drop: set[int] = set()
    openers: list[list[int]] = []  # star indexes of each unmatched opening run
    i = 0
    while i < len(atoms):
        if not _is_star(atoms[i]):
            i += 1
            continue
        j = i
        while j < len(atoms) and _is_star(atoms[j]):
            j += 1
        run = list(range(i, j))
        if not _is_blank(atoms, i - 1):
            while run and openers:
                opener = openers[-1]
                n = 2 if len(run) >= 2 and len(opener) >= 2 else 1
                drop.update(opener[-n:] + run[:n])
                del opener[-n:]
                run = run[n:]
                if not opener:
                    openers.pop()
        if run and not _is_blank(atoms, j):
            openers.append(run)
        i = j
    return [a for k, a in enumerate(atoms) if k not in drop]


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


def is_placeholder(target: str) -> bool:
    """A link target that names no page (`../../models/.md`)."""
    return target == ".md" or target.endswith("/.md")


def is_external(target: str) -> bool:
    """A link to the web rather than to a docs page."""
    return target.lower().startswith(("http://", "https://"))


def namespace_from_target(target: str) -> str:
    """The `<ns>` of a `.../models/<ns>/x.md` target, or ""."""
    found = _MODELS_NS.search(target)
    return found.group(1) if found else ""


@dataclass
class ParseState:
    """What one parse collects: link targets, the first error, the date-swap flag."""

    links: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    error: str = ""
    date_label_swapped: bool = False


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
        seen = "end of text" if tok.kind == "end" else repr(tok.text or "[link]")
        if not self.state.error:
            what = f", found {seen}" if found else ""
            self.state.error = f"{message}{what} at position {tok.pos}"
        return prim("any")

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


def parse_literal(tok: Token) -> TypeRef:
    """A literal type from a string or number token."""
    if tok.kind == "string":
        return TypeRef(kind="literal", value=tok.text[1:-1])
    number = float(tok.text) if "." in tok.text else int(tok.text)
    return TypeRef(kind="literal", value=number)


def join_union(variants: list[tuple[TypeRef, bool]]) -> tuple[TypeRef, bool]:
    """One type from union members: null members make it optional; one member stands alone."""
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


def run(grammar: Grammar, text: str, *, markdown: bool) -> ParsedType:
    """Parse `text` (markdown or bare code) with `grammar` into a ParsedType."""
    raw = text.strip()
    atoms: list[Atom] = (strip_emphasis(read_atoms(raw)) if markdown
                         else [Char(c, k) for k, c in enumerate(raw)])
    state = ParseState()
    stream = TokenStream(tokenize(atoms, len(raw)), state)
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
