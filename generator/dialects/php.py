"""The PHP docs dialect: `?string`, `array<X>`, `array<string, X>`, `\\Ns\\Models\\Shared\\X`."""

from __future__ import annotations

from ..ir import TypeRef, list_of, map_of
from .typeexpr import GrammarDialect, Token, TokenStream, join_union, named_type, parse_args

# Keys are names without the leading backslash.
_PRIMITIVES = {
    "string": "string", "int": "integer", "integer": "integer", "float": "number",
    "double": "number", "bool": "boolean", "boolean": "boolean", "mixed": "any",
    "object": "any", "array": "any", "DateTime": "datetime", "DateTimeInterface": "datetime",
    "DateTimeImmutable": "datetime", "Brick\\DateTime\\LocalDate": "date",
    "Brick\\Math\\BigDecimal": "decimal", "Brick\\Math\\BigInteger": "integer",
    "Psr\\Http\\Message\\ResponseInterface": "http_response",
    "Psr\\Http\\Message\\StreamInterface": "bytes",
}
_CONSTANTS = {"null": None, "true": True, "false": False}


class PhpDialect(GrammarDialect):
    """PHP type syntax as Speakeasy prints it in PHP SDK docs (PascalCase page names)."""

    name = "php"
    fence_languages: tuple[str, ...] = ("php",)
    lower_case_stems = False

    def parse_top(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        """`?X`, or `A|B|null`."""
        variants = [self._nullable(stream)]
        while not stream.failed and stream.accept("|"):
            variants.append(self._nullable(stream))
        return join_union(variants)

    def _nullable(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        optional = stream.accept("?")
        type_, inner_optional = self._primary(stream)
        return type_, optional or inner_optional

    def _primary(self, stream: TokenStream) -> tuple[TypeRef, bool]:
        tok = stream.next()
        if tok.kind == "link":
            return self.parse_link(stream, tok)
        if tok.kind != "name":
            return stream.fail("expected a type", tok), False
        if stream.accept("<"):
            return self._generic(stream, tok), False
        return self._name(stream, tok), False

    def _generic(self, stream: TokenStream, tok: Token) -> TypeRef:
        """`array<X>` is a list, `array<string, X>` a map."""
        args = parse_args(stream, self.parse_top, ">")
        head = tok.text.lstrip("\\")
        if head in ("array", "list") and len(args) == 1:
            return list_of(args[0][0])
        if head == "array" and len(args) == 2:
            return map_of(args[1][0])
        message = f"unknown generic {head}<...> with {len(args)} argument(s)"
        return stream.fail(message, tok, found=False)

    def _name(self, stream: TokenStream, tok: Token) -> TypeRef:
        """A primitive, a constant, or a model reference."""
        text = tok.text.lstrip("\\")
        return named_type(stream, tok, text, _PRIMITIVES, _CONSTANTS, lambda t: t[:1].isupper() or "\\" in t)


DIALECT = PhpDialect()
