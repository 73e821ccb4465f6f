"""The TypeScript docs dialect: `*string*[]`, `Record<string, X>`, `Promise<X>`, `A | B`."""

from __future__ import annotations

from ..ir import TypeRef, list_of, map_of, prim
from .typeexpr import GrammarDialect, Token, TokenStream, array_suffixes, join_union, named_type, parse_args, parse_literal

# TypeScript has one `number` type, so integer and float fields both read as number.
_PRIMITIVES = {
    "string": "string", "number": "number", "boolean": "boolean", "bigint": "integer",
    "any": "any", "unknown": "any", "object": "any", "void": "any", "Date": "datetime",
    "RFCDate": "date", "types.RFCDate": "date", "Uint8Array": "bytes", "Blob": "bytes",
    "ArrayBuffer": "bytes", "ReadableStream": "bytes", "Decimal": "decimal",
    "AxiosResponse": "http_response", "Response": "http_response",
    # Per-call SDK plumbing (the `config` parameter), not an API type.
    "AxiosRequestConfig": "any",
}
_CONSTANTS = {"null": None, "undefined": None, "true": True, "false": False}


class TypeScriptDialect(GrammarDialect):
    """TypeScript type syntax as Speakeasy prints it in TypeScript SDK docs."""

    name = "typescript"
    fence_languages: tuple[str, ...] = ("typescript", "ts", "javascript", "js")
    lower_case_stems = True

    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """`A | B | null`, each member a postfix type."""
        stream.accept("|")  # a leading bar is legal TypeScript
        variants = [self._postfix(stream)]
        while not stream.failed and stream.accept("|"):
            variants.append(self._postfix(stream))
        return join_union(variants)

    def _postfix(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """A primary followed by any number of `[]`."""
        return array_suffixes(stream, self._primary(stream))

    def _primary(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        tok = stream.next()
        if tok.kind == "link":
            return self.parse_link(stream, tok)
        if tok.kind in ("string", "number"):
            return parse_literal(stream, tok), False
        if tok.kind == "punct" and tok.text == "(":
            inner = self.parse_top(stream)
            stream.expect(")")
            return inner
        if tok.kind != "name":
            return stream.fail("expected a type", tok), False
        if stream.accept("<"):
            return self._generic(stream, tok)
        return self._name(stream, tok), False

    def _generic(self, stream: TokenStream, tok: Token) -> tuple[TypeRef, bool]:
        """`Name<args>`: Record, Array, Promise and the Axios response."""
        args = parse_args(stream, self.parse_top, ">")
        head, count = tok.text, len(args)
        if head == "Record" and count == 2:
            return map_of(args[1][0]), False
        if head in ("Array", "ReadonlyArray") and count == 1:
            return list_of(args[0][0]), False
        if head == "Promise" and count == 1:
            return args[0]
        if head == "AxiosResponse":
            return prim("http_response"), False
        message = f"unknown generic {head}<...> with {count} argument(s)"
        return stream.fail(message, tok, found=False), False

    def _name(self, stream: TokenStream, tok: Token) -> TypeRef:
        """A primitive, a constant, or a model reference."""
        text = tok.text
        if text == "AxiosResponse" and stream.in_external and stream.at(">"):
            # airbyte-typescript prints `[AxiosResponse>](https://axios-http.com/...)`:
            # a generic whose arguments were lost. The link still names the type.
            stream.next()
        return named_type(stream, tok, text, _PRIMITIVES, _CONSTANTS, lambda t: t[:1].isupper() or "." in t)


DIALECT = TypeScriptDialect()
