"""The dialect contract: what each language's docs grammar must provide to extraction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from ..ir import TypeRef


@dataclass(frozen=True, slots=True)
class ParsedType:
    """The result of parsing one Type cell (or a type in example/union code).

    `type` is the tree with optional/nullable wrappers removed; `optional` says the docs
    wrapped it (`Optional[X]`, `?X`, Go pointer `*X`). `links` lists every link target
    seen, in order (for resolve). `error` is non-empty when the text could not be parsed;
    then `type` is `any`. `date_label_swapped` is True where the dialect is known to label
    date and datetime the wrong way round and the parser corrected the label.
    `placeholder_links` lists link targets that are placeholders (`../../models/.md`).
    """

    type: TypeRef
    optional: bool = False
    links: tuple[str, ...] = ()
    placeholder_links: tuple[str, ...] = ()
    error: str = ""
    date_label_swapped: bool = False


class Dialect(Protocol):
    """One documentation language (python, typescript, php, java, go, ...)."""

    name: str
    fence_languages: tuple[str, ...]

    def parse_type(self, text: str) -> ParsedType:
        """Parse the raw markdown of a Type cell into a type tree."""
        ...

    def parse_code_type(self, text: str) -> ParsedType:
        """Parse a bare type expression from code (union pages: `x: shared.Foo = ...`)."""
        ...

    def model_file_stem(self, name: str) -> str:
        """The page file stem this dialect uses for a type name (lower-cased or as-is)."""
        ...


def normalize_name(name: str) -> str:
    """Name normalisation used to match one thing across dialects: case- and `_`-blind.

    `connection_id`, `connectionId`, `ConnectionID` and `date_` all normalise alike.
    """
    return name.replace("_", "").replace("-", "").lower()


def as_optional(parsed: Optional[ParsedType]) -> bool:
    """True when a parse result exists and was wrapped optional."""
    return bool(parsed and parsed.optional)
