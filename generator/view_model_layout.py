"""The lines of a model view in black's layout (see view_layout): class variables, the headers
and bodies of `from_dict`, `to_dict` and `from_python_dict`, and `_auth_headers`.

The model macro writes the class body at 4 columns, method bodies at 8 and the arguments of
`cls(...)` and the items of `to_dict`'s dict at 12; every string here is laid out for the
column its template line starts at.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .format_rules import LINE_LENGTH
from .view_layout import fill, indented, params, statement_lines
from .view_text import py_str

if TYPE_CHECKING:  # pragma: no cover
    from .view_models import ModelView


def names_literal(target: str, names: list[str], kind: str) -> str:
    """`target = _rt.key_set(...)` / `_rt.key_tuple(...)` of wire names at 4 columns. Names
    without whitespace go as space-separated strings split at run time (one string token per
    line), several strings when one would not fit its line."""
    if len(names) <= 3 or not all(n and not any(c.isspace() for c in n) for n in names):
        return _class_statement(f"{target} = _rt.{kind}({', '.join(py_str(n) for n in names)})")
    literal = py_str(" ".join(names))
    if len(literal) + 17 <= LINE_LENGTH:  # `*"...".split()` fits a line of its own at 8 columns
        whole = _class_statement(f"{target} = _rt.{kind}(*{literal}.split())")
        if all(len(line) <= LINE_LENGTH for line in ("    " + whole).split("\n")):
            return whole
    chunks: list[list[str]] = []
    current: list[str] = []
    for name in names:  # each `*"...".split(),` on its own line at 8 columns (20 more columns)
        if current and len(py_str(" ".join(current + [name]))) + 18 > LINE_LENGTH:
            chunks.append(current)
            current = []
        current.append(name)
    parts = [f"*{py_str(' '.join(c))}.split()" for c in chunks + [current]]
    return _class_statement(f"{target} = _rt.{kind}({', '.join(parts)})")


def _class_statement(text: str) -> str:
    return indented(statement_lines(text, 4), 4)


def _auth(lines: tuple[str, ...]) -> str:
    """`return _rt.auth_headers((...))` of the credential tuples (trailing comma: a one-tuple)."""
    if not lines:
        return ""
    inner = lines[0] + "," if len(lines) == 1 else ", ".join(lines)
    return indented(statement_lines(f"return _rt.auth_headers(({inner}))", 8), 8)


def lay_out(view: "ModelView") -> "ModelView":
    """The view with every line laid out for its column."""
    self_hint, dict_hint = view.self_hint, view.dict_hint
    return replace(
        view,
        fields=tuple(f.declared(4) for f in view.fields),
        from_dict_params=params("def from_dict(", ["cls", f"d: {dict_hint}"], f") -> {self_hint}:", 4),
        from_python_params=params("def from_python_dict(", ["cls", f"d: {dict_hint}"], f") -> {self_hint}:", 4),
        decoders=tuple(fill("", line, ",", 12, item=True) for line in view.decoders),
        encoders=tuple(fill("", line, ",", 12, item=True) for line in view.encoders),
        optional_encoders=tuple((name, key, fill(f"_o[{key}] = ", expr, "", 12))
                                for name, key, expr in view.optional_encoders),
        coercions=None if view.coercions is None else tuple(
            (key, fill(f"_a[{key}] = ", expr, "", 12)) for key, expr in view.coercions),
        auth_return=_auth(view.auth),
    )
