"""The Go docs dialect: `**string*` (a pointer), `[]X`, `map[string]X`, `*X, error` results."""

from __future__ import annotations

from ..ir import TypeRef, list_of, map_of, prim
from .typeexpr import GrammarDialect, TokenStream

_INTEGERS = ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
             "uint64", "uintptr", "byte", "rune", "big.Int")
_PRIMITIVES = {
    **{name: "integer" for name in _INTEGERS},
    "string": "string", "float32": "number", "float64": "number", "bool": "boolean",
    "any": "any", "time.Time": "datetime", "types.Date": "date", "decimal.Big": "decimal",
    "io.Reader": "bytes", "io.ReadCloser": "bytes", "http.Response": "http_response",
    # Only ever a Go call parameter (the request context), never an API type.
    "context.Context": "any",
}


class GoDialect(GrammarDialect):
    """Go type syntax as Speakeasy prints it in Go SDK docs; a pointer means optional."""

    name = "go"
    fence_languages: tuple[str, ...] = ("go", "golang")
    lower_case_stems = True

    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """A type, optionally followed by `, error` (an operation's result pair)."""
        result = self._expr(stream)
        if not stream.failed and stream.accept(","):
            stream.expect("error")
        return result

    def _expr(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """One type; the bool is True when its outermost layer is a pointer."""
        return stream.nested(self._layer)

    def _layer(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """One type layer: a pointer, slice, map, name or link (nested types go through `_expr`)."""
        tok = stream.next()
        if tok.kind == "link":
            return self.parse_link(stream, tok)
        if tok.kind == "punct" and tok.text == "*":
            return self._expr(stream)[0], True
        if tok.kind == "punct" and tok.text == "[":
            return self._slice(stream), False
        if tok.kind != "name":
            return stream.fail("expected a type", tok), False
        if tok.text == "map" and stream.accept("["):
            self._expr(stream)  # keys are strings in these docs
            stream.expect("]")
            return map_of(self._expr(stream)[0]), False
        if tok.text in ("interface", "struct") and stream.accept("{"):
            stream.expect("}")
            return prim("any"), False
        if tok.text in _PRIMITIVES:
            return prim(_PRIMITIVES[tok.text]), False
        if tok.text[:1].isupper() or "." in tok.text:
            return stream.make_ref(tok.text), False
        return stream.fail(f"unknown type name {tok.text!r}", tok, found=False), False

    def _slice(self, stream: TokenStream) -> TypeRef:
        """After `[`: `[]byte` is bytes, `[]X` and `[N]X` are lists."""
        if stream.peek().kind == "number":
            stream.next()
        stream.expect("]")
        if stream.at("byte"):
            stream.next()
            return prim("bytes")
        return list_of(self._expr(stream)[0])


DIALECT = GoDialect()
