"""The Python docs dialect: `Optional[List[X]]`, `Dict[str, X]`, `Union[A, B]`, `*str*`."""

from __future__ import annotations

from ..ir import TypeRef, list_of, map_of, prim
from .typeexpr import GrammarDialect, Token, TokenStream, join_union, parse_args, named_type, parse_literal

_PRIMITIVES = {
    "str": "string", "int": "integer", "float": "number", "bool": "boolean",
    "bytes": "bytes", "Decimal": "decimal", "decimal.Decimal": "decimal",
    "date": "date", "datetime": "datetime", "datetime.date": "date",
    "datetime.datetime": "datetime", "Any": "any", "typing.Any": "any", "object": "any",
    "io.BufferedReader": "bytes", "io.IOBase": "bytes", "BinaryIO": "bytes",
    "requests.Response": "http_response", "requests_http.Response": "http_response",
    "httpx.Response": "http_response",
}
_CONSTANTS = {"None": None, "True": True, "False": False}
_OPTIONAL = ("Optional", "OptionalNullable", "typing.Optional")
_LISTS = ("List", "list", "Sequence", "Set", "set", "typing.List")
_MAPS = ("Dict", "dict", "Mapping", "typing.Dict")
# Speakeasy's Python docs link `date`/`datetime` to docs.python.org with the labels
# swapped: `[date](...#date-objects)` is a date-time field and `[datetime](...)` a date
# (featuretest simpleobject.md: `date_` is `[datetime](...)` with example 2020-01-01).
# Unlinked and placeholder-linked labels (`Union[datetime, int]`, `[date](../../models/.md)`)
# are the true types, as the example code of those operations shows.
_SWAPPED = {"date": "datetime", "datetime": "date"}


class PythonDialect(GrammarDialect):
    """Python type syntax as Speakeasy prints it in Python SDK docs."""

    name = "python"
    fence_languages: tuple[str, ...] = ("python", "py", "python3")
    lower_case_stems = True

    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """`A | B | None` or a single primary."""
        variants = [self._primary(stream)]
        while not stream.failed and stream.accept("|"):
            variants.append(self._primary(stream))
        return join_union(variants)

    def _primary(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        tok = stream.next()
        if tok.kind == "link":
            return self.parse_link(stream, tok)
        if tok.kind in ("string", "number"):
            return parse_literal(stream, tok), False
        if tok.kind != "name":
            return stream.fail("expected a type", tok), False
        if stream.at("["):
            return self._generic(stream, tok)
        return self._name(stream, tok), False

    def _generic(self, stream: TokenStream, tok: Token) -> tuple[TypeRef, bool]:
        """`Name[args]`: the containers, Optional, Union, Literal and IO."""
        stream.next()
        args = parse_args(stream, self.parse_top, "]")
        head, count = tok.text, len(args)
        if head in _OPTIONAL and count == 1:
            return args[0][0], True
        if head in _LISTS and count == 1:
            return list_of(args[0][0]), False
        if head in _MAPS and count == 2:
            return map_of(args[1][0]), False
        if head in ("Union", "typing.Union") and count >= 1:
            return join_union(args)
        if head in ("Literal", "typing.Literal") and count >= 1:
            return join_union(args)
        if head in ("IO", "typing.IO") and count == 1:
            return prim("bytes"), False
        message = f"unknown generic {head}[...] with {count} argument(s)"
        return stream.fail(message, tok, found=False), False

    def _name(self, stream: TokenStream, tok: Token) -> TypeRef:
        """A primitive, `None`, or a model reference."""
        text = tok.text
        if text in _SWAPPED and stream.in_external:
            stream.state.date_label_swapped = True
            return prim(_SWAPPED[text])
        return named_type(stream, tok, text, _PRIMITIVES, _CONSTANTS, lambda t: t[:1].isupper() or "." in t)


DIALECT = PythonDialect()
