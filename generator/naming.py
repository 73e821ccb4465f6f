"""Names: splitting into words, re-casing, JSON wire-name rules, and safe Python identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

# Runs over a class string (see `_classes`): A upper-case letter, a other letter, 0 digit.
_WORDS = re.compile(r"A+(?=Aa|[^Aa]|$)|A?a+|A+|0+")


def _char_class(ch: str, previous: str) -> str:
    """A for an upper-case letter, a for any other letter, 0 for other alphanumerics, else space.

    A combining mark belongs to the character before it (`é` written as e + U+0301); after a
    separator it is one too, so it never starts a word of its own.
    """
    if unicodedata.category(ch).startswith("M"):
        return previous
    if ch.isupper():
        return "A"
    if ch.isalpha():
        return "a"
    return "0" if ch.isalnum() else " "


# `_char_class` of every ASCII character, for str.translate (an ASCII name is classed in one call)
_ASCII_CLASSES = {code: "A" if chr(code).isupper() else "a" if chr(code).isalpha() else
                  "0" if chr(code).isalnum() else " " for code in range(128)}


def _word_spans(name: str) -> list[tuple[int, int]]:
    """(start, end) of each word of `name`; letters of every script count (`prénom`, `日本語_name`)."""
    if name.isascii():
        return [m.span() for m in _WORDS.finditer(name.translate(_ASCII_CLASSES))]
    classes = [" "]
    for ch in name:
        classes.append(_char_class(ch, classes[-1]))
    return [m.span() for m in _WORDS.finditer("".join(classes[1:]))]


def split_words(name: str) -> list[str]:
    """`connection_id`, `connectionId`, `ConnectionID`, `HTTPServer2` -> lower-case words."""
    return [name[start:end].lower() for start, end in _word_spans(name)]


def to_camel(name: str) -> str:
    """camelCase from any casing; a trailing `_` (Python keyword escape) is dropped.

    A word written right after digits keeps the case of its first letter (`1st`, `int32Enum`):
    no separator was there, so nothing says a new word starts.
    """
    spans = _word_spans(name)
    if not spans:
        return name
    out = [name[slice(*spans[0])].lower()]
    for (start, end), (_, previous_end) in zip(spans[1:], spans):
        word = name[start:end].lower()
        glued = start == previous_end and name[previous_end - 1].isdigit()
        out.append((name[start] if glued else word[:1].upper()) + word[1:])
    return "".join(out)


def to_snake(name: str) -> str:
    """snake_case from any casing."""
    return "_".join(split_words(name)) or name


def to_pascal(name: str) -> str:
    """PascalCase from any casing."""
    return "".join(w[:1].upper() + w[1:] for w in split_words(name)) or name


@lru_cache(maxsize=8192)  # field names repeat across models; a run asks for thousands
def wire_name(name: str, rule: str) -> str:
    """The JSON name of a documented field under a naming rule (camel | snake | as-documented).

    One trailing `_` is Speakeasy's escape of a reserved word (`str_`, `from_`) and is dropped;
    other leading and trailing underscores (`_links`, `__init__`) are kept around the converted core.
    """
    base = name[:-1] if name.endswith("_") and not name.endswith("__") and len(name) > 1 else name
    core = base.strip("_")
    if rule not in ("camel", "snake") or not core:
        return base
    head, tail = base[:len(base) - len(base.lstrip("_"))], base[len(base.rstrip("_")):]
    return head + (to_camel(core) if rule == "camel" else to_snake(core)) + tail


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


def _ascii(text: str) -> str:
    """`text` transliterated to ASCII where NFKD allows; other characters dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def module_identifier(text: str) -> str:
    """A lower-case ASCII module name from any text (`My-API` -> `my_api`, `ñ` -> `n`).

    A name that already is one (`lib2`) is kept; "" when no letter is left.
    """
    if re.fullmatch("[a-z_][a-z0-9_]*", text) and text == safe_identifier(text):
        return text
    plain = _ascii(text)
    if not re.search("[A-Za-z]", plain):
        return ""
    return python_identifier(to_snake(plain.replace("-", "_"))).lower()


def class_name_identifier(text: str) -> str:
    """An ASCII class name from any text, unchanged where already valid; "" when no letter is left."""
    plain = _ascii(text)
    if not re.search("[A-Za-z]", plain):
        return ""
    return safe_identifier(plain)


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
