"""The dialect registry: one module per docs language, one line each here."""

from __future__ import annotations

from typing import Optional

from . import go, java, php, python, typescript
from .base import Dialect, ParsedType

# Adding a language (C#, Ruby, ...) means one module with a `DIALECT` and one line here.
DIALECTS: dict[str, Dialect] = {
    "python": python.DIALECT,
    "typescript": typescript.DIALECT,
    "php": php.DIALECT,
    "java": java.DIALECT,
    "go": go.DIALECT,
}

__all__ = ["DIALECTS", "Dialect", "ParsedType", "dialect_for_fence", "get_dialect"]


def get_dialect(name: str) -> Dialect:
    """The dialect registered under `name` (case-insensitive).

    Callers pass names they took from `DIALECTS`, so an unknown name is a programming
    error: KeyError, naming the known dialects.
    """
    key = name.strip().lower()
    if key not in DIALECTS:
        raise KeyError(f"unknown dialect {name!r}; known: {', '.join(sorted(DIALECTS))}")
    return DIALECTS[key]


def dialect_for_fence(lang: str) -> Optional[Dialect]:
    """The dialect whose code fences use the info-string language `lang`, or None."""
    word = lang.strip().split(" ", 1)[0].lower() if lang.strip() else ""
    return next((d for d in DIALECTS.values() if word in d.fence_languages), None)
