"""Names: splitting into words, re-casing, JSON wire-name rules, and safe Python identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from typing import Iterable

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|[^A-Za-z]|$)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def split_words(name: str) -> list[str]:
    """`connection_id`, `connectionId`, `ConnectionID`, `HTTPServer2` -> lower-case words."""
    return [w.lower() for w in _WORDS.findall(name)]


def to_camel(name: str) -> str:
    """camelCase from any casing; a trailing `_` (Python keyword escape) is dropped."""
    words = split_words(name)
    if not words:
        return name
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def to_snake(name: str) -> str:
    """snake_case from any casing."""
    return "_".join(split_words(name)) or name


def to_pascal(name: str) -> str:
    """PascalCase from any casing."""
    return "".join(w[:1].upper() + w[1:] for w in split_words(name)) or name


def wire_name(name: str, rule: str) -> str:
    """The JSON name of a documented field under a naming rule (camel | snake | as-documented)."""
    base = name[:-1] if name.endswith("_") and len(name) > 1 else name
    if rule == "camel":
        return to_camel(base)
    if rule == "snake":
        return to_snake(base)
    return base


_RESERVED = set(keyword.kwlist) | set(keyword.softkwlist) | {"self", "cls", "None", "True", "False"}


def python_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A valid, non-keyword Python identifier derived from `name` (ASCII only).

    Non-ASCII letters are transliterated where NFKD allows, other characters become `_`,
    a leading digit gets a `_` prefix, and keywords/reserved names get a `_` suffix.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"\W", "_", ascii_name).strip("_") or "_"
    if cleaned.startswith("__") or cleaned == "_":
        cleaned = "x" + cleaned
    if cleaned[0].isdigit():
        cleaned = "_" + cleaned
    if cleaned in _RESERVED or cleaned in reserved:
        cleaned += "_"
    return cleaned


BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def safe_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """The documented name itself when it is a usable identifier, else `python_identifier(name)`.

    Python docs already print attribute names (`str_`, `date_`, `type`), and examples pass them
    as keyword arguments, so a valid, non-keyword, ASCII, non-dunder name is kept unchanged.
    """
    usable = name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
    if usable and not name.startswith("__") and name not in reserved:
        return name
    return python_identifier(name, reserved)


def class_identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A class or alias name: a safe identifier that does not shadow a builtin (`str` -> `str_`)."""
    ident = safe_identifier(name, reserved)
    return ident + "_" if ident in BUILTIN_NAMES else ident


def dedupe(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Make names unique in order: the first keeps its name, a repeat gets the first numeric
    suffix (`x2`, `x3`) that is neither taken nor one of the other names."""
    names = list(names)
    avoid = set(taken) | set(names)
    used = set(taken)
    out = []
    for name in names:
        candidate, number = name, 2
        while candidate in used or (candidate != name and candidate in avoid):
            candidate, number = f"{name}{number}", number + 1
        used.add(candidate)
        out.append(candidate)
    return out
