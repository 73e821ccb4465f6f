"""The Java docs dialect: `String`, `List<X>`, `Map<String, X>`, `Optional<X>`, `byte[]`."""

from __future__ import annotations

from ..ir import TypeRef, list_of, map_of, prim
from .typeexpr import GrammarDialect, Token, TokenStream, array_suffixes, named_type

_PRIMITIVES = {
    "String": "string", "Long": "integer", "long": "integer", "Integer": "integer",
    "int": "integer", "Short": "integer", "short": "integer", "BigInteger": "integer",
    "Double": "number", "double": "number", "Float": "number", "float": "number",
    "Boolean": "boolean", "boolean": "boolean", "Object": "any", "BigDecimal": "decimal",
    "OffsetDateTime": "datetime", "LocalDate": "date", "InputStream": "bytes",
}
# Qualified spellings of the same types (`java.time.LocalDate`) map through the last part.
_QUALIFIED_PREFIXES = ("java.lang.", "java.math.", "java.time.", "java.io.", "java.util.")
_LISTS = ("List", "java.util.List", "Set", "Collection")
_MAPS = ("Map", "java.util.Map")
_OPTIONAL = ("Optional", "JsonNullable", "java.util.Optional")


class JavaDialect(GrammarDialect):
    """Java type syntax as Speakeasy prints it in Java SDK docs (PascalCase page names)."""

    name = "java"
    fence_languages: tuple[str, ...] = ("java",)
    lower_case_stems = False

    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """A primary followed by any number of `[]` (`byte[]` is bytes)."""
        if (stream.at("byte") or stream.at("Byte")) and stream.at("[", 1) and stream.at("]", 2):
            for _ in range(3):
                stream.next()
            result: tuple[TypeRef, bool] = (prim("bytes"), False)
        else:
            result = self._primary(stream)
        return array_suffixes(stream, result)

    def _primary(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        tok = stream.next()
        if tok.kind == "link":
            return self.parse_link(stream, tok)
        if tok.kind != "name":
            return stream.fail("expected a type", tok), False
        if stream.accept("<"):
            return self._generic(stream, tok)
        return self._name(stream, tok), False

    def _generic(self, stream: TokenStream, tok: Token) -> tuple[TypeRef, bool]:
        """`Name<args>`: collections, Optional wrappers, HttpResponse."""
        args = self._args(stream)
        head, count = tok.text, len(args)
        if head in _OPTIONAL and count == 1:
            return args[0][0], True
        if head in _LISTS and count == 1:
            return list_of(args[0][0]), False
        if head in _MAPS and count == 2:
            return map_of(args[1][0]), False
        if head in ("HttpResponse", "java.net.http.HttpResponse"):
            return prim("http_response"), False
        message = f"unknown generic {head}<...> with {count} argument(s)"
        return stream.fail(message, tok, found=False), False

    def _args(self, stream: TokenStream) -> list[tuple[TypeRef, bool]]:
        """Comma-separated arguments up to `>`; `?`/`? extends X` wildcards read as X."""
        args: list[tuple[TypeRef, bool]] = []
        while not stream.failed:
            if stream.accept("?") and not stream.accept("extends"):
                args.append((prim("any"), False))
            else:
                args.append(self.parse_top(stream))
            if not stream.accept(","):
                stream.expect(">")
                break
        return args

    def _name(self, stream: TokenStream, tok: Token) -> TypeRef:
        """A primitive or a model reference."""
        text = tok.text
        for prefix in _QUALIFIED_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix):]
        return named_type(stream, tok, text, _PRIMITIVES, {}, lambda t: t[:1].isupper() or "." in t)


DIALECT = JavaDialect()
