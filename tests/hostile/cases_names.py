"""Hostile names: keywords, dunders, digits, non-ASCII, collisions, empties; hostile enum values."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator import ir
from generator.dialects.base import normalize_name

from .builders import OK_PAGE, RESULT_PAGE, enum_page, field_row, find, group_page, model_page, problems
from .registry import FIRST_ROW, Check, case, tree, model_named


# --- names -------------------------------------------------------------------------------

KEYWORDS = ["class", "None", "__init__", "self", "list", "def", "True", "match", "type", "__dict__", "str"]
ODD_NAMES = ["1st", "404", "has space", "a-b", "a.b", "Ünïcode", "日本", "naïve", "ÆØÅ", "x__y__", "_"]


@case("keywords-builtins-dunders-as-model-and-field-names")
def _keywords(tmp: Path) -> tuple[list[str], Check]:
    pages = {f"docs/models/shared/m{i}.md": model_page(n, [field_row(n), field_row("ok")]) for i, n in enumerate(KEYWORDS)}
    def check(schema: ir.Schema) -> None:
        assert sorted(m.name for m in schema.models) == sorted(KEYWORDS)
        for name in KEYWORDS:
            assert [f.name for f in model_named(schema, name).fields] == [name, "ok"]
        assert not problems(schema)
    return tree(tmp, pages), check


@case("digits-spaces-hyphens-dots-non-ascii-names")
def _odd(tmp: Path) -> tuple[list[str], Check]:
    pages = {f"docs/models/shared/m{i}.md": model_page(n, [field_row(n)]) for i, n in enumerate(ODD_NAMES)}
    def check(schema: ir.Schema) -> None:
        assert sorted(m.name for m in schema.models) == sorted(ODD_NAMES)
        for name in ODD_NAMES:
            assert [f.name for f in model_named(schema, name).fields] == [name]
        assert not problems(schema)
    return tree(tmp, pages), check


@case("hostile-enum-and-member-names")
def _enum_names(tmp: Path) -> tuple[list[str], Check]:
    members = [(n, f"v{i}") for i, n in enumerate(KEYWORDS + ODD_NAMES)]
    pages = {"docs/models/shared/klass.md": enum_page("class", members), "docs/models/shared/none.md": enum_page("None", [("A", "a")])}
    def check(schema: ir.Schema) -> None:
        assert sorted(e.name for e in schema.enums) == ["None", "class"]
        klass = next(e for e in schema.enums if e.name == "class")
        assert [m.name for m in klass.members] == KEYWORDS + ODD_NAMES
        assert [m.value for m in klass.members] == [f"v{i}" for i in range(len(members))]
    return tree(tmp, pages), check


@case("hostile-group-and-operation-names")
def _groups(tmp: Path) -> tuple[list[str], Check]:
    ops = ["class", "None", "__init__", "self", "list", "1op", "has space", "日本", "a-b"]
    pages: dict[str, str | bytes] = {f"docs/sdks/g{i}/README.md": group_page(title, ops)
                                     for i, title in enumerate(["class", "__init__", "日本", "has space", "1st"])}
    pages["docs/models/operations/result.md"] = RESULT_PAGE
    def check(schema: ir.Schema) -> None:
        assert sorted(g.name for g in schema.groups) == sorted(["class", "__init__", "日本", "has space", "1st"])
        for group in schema.groups:
            assert [o.name for o in group.operations] == ops
            assert all(o.response == ir.ref("Result", "operations") for o in group.operations)
        assert not problems(schema)
    return tree(tmp, pages), check


@case("models-Foo-and-FOO-collide")
def _model_collision(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/foo.md": model_page("Foo", [field_row("a")]),
             "docs/models/shared/foo_upper.md": model_page("FOO", [field_row("b")])}
    def check(schema: ir.Schema) -> None:
        [clash] = find(schema, "E201")
        assert (clash.severity.value, clash.file, clash.line) == ("error", "docs/models/shared/foo_upper.md", 1)
        assert [m.name for m in schema.models] == ["Foo"]
    return tree(tmp, pages), check


@case("fields-userId-and-user_id-collide")
def _field_collision(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/user.md": model_page("User", [field_row("userId"), field_row("user_id")])}
    def check(schema: ir.Schema) -> None:
        fields = model_named(schema, "User").fields
        assert [f.name for f in fields] == ["userId", "user_id"]
        flagged = [d for d in problems(schema) if d.file == "docs/models/shared/user.md" and d.line in (10, 11)]
        assert len({f.wire_name for f in fields}) == 2 or flagged, [f.wire_name for f in fields]
    return tree(tmp, pages), check


@case("duplicate-field-names-in-one-model")
def _dup_fields(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": model_page("M", [field_row("a"), field_row("a", "*int*")])}
    def check(schema: ir.Schema) -> None:
        assert any(d.line == FIRST_ROW + 1 and d.severity.value in ("error", "warning") for d in schema.diagnostics)
    return tree(tmp, pages), check


@case("duplicate-enum-member-names")
def _dup_members(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/e.md": enum_page("E", [("A", "x"), ("A", "y")])}
    def check(schema: ir.Schema) -> None:
        assert any(d.line == FIRST_ROW + 1 and d.severity.value in ("error", "warning") for d in schema.diagnostics)
    return tree(tmp, pages), check


@case("empty-model-title-and-empty-member-name")
def _empty_names(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": model_page("", [field_row("a")]),
             "docs/models/shared/e.md": enum_page("E", [("", "x"), ("B", "y")])}
    def check(schema: ir.Schema) -> None:
        where = {(d.file, d.line) for d in find(schema, "E104")}
        assert ("docs/models/shared/m.md", 1) in where and ("docs/models/shared/e.md", FIRST_ROW) in where, where
    return tree(tmp, pages), check


@case("non-ascii-field-names-keep-their-letters-in-wire-names")
def _wire_names(tmp: Path) -> tuple[list[str], Check]:
    names = ["prénom", "straße", "naïve_value", "日本語_name", "ÉTAT"]
    pages = {"docs/models/shared/m.md": model_page("M", [field_row(n) for n in names])}
    def check(schema: ir.Schema) -> None:
        def letters(text: str) -> str:
            return normalize_name(unicodedata.normalize("NFC", text)).casefold()
        got = {f.name: f.wire_name for f in model_named(schema, "M").fields}
        assert all(letters(wire) == letters(name) for name, wire in got.items()), got
    return tree(tmp, pages), check


@case("readme-title-and-package-that-are-not-identifiers")
def _readme_names(tmp: Path) -> tuple[list[str], Check]:
    pages = {"README.md": "# 日本\n\nAn API.\n", "docs/models/shared/ok.md": OK_PAGE}
    def check(schema: ir.Schema) -> None:
        assert schema.api.package.isascii() and schema.api.package.isidentifier()
    return tree(tmp, pages), check


# --- enum values -------------------------------------------------------------------------

@case("enum-values-empty-and-duplicated")
def _enum_values(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/e.md": enum_page("E", [("A", ""), ("B", ""), ("C", "same"), ("D", "same")])}
    def check(schema: ir.Schema) -> None:
        [enum] = schema.enums
        assert enum.value_type == "string" and [m.value for m in enum.members] == ["", "", "same", "same"]
    return tree(tmp, pages), check


@case("integer-enum-with-duplicated-and-huge-values")
def _int_enum(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/e.md": enum_page("E", [("A", "1"), ("B", "1"), ("C", "-5"), ("D", "9" * 40)])}
    def check(schema: ir.Schema) -> None:
        [enum] = schema.enums
        assert enum.value_type == "integer" and [m.value for m in enum.members] == [1, 1, -5, int("9" * 40)]
    return tree(tmp, pages), check


@case("numeric-looking-values-in-a-string-enum-stay-verbatim")
def _numeric_strings(tmp: Path) -> tuple[list[str], Check]:
    values = ["007", "-0", "+1", "1.0", "1e3", "0x1F", "text"]
    pages = {"docs/models/shared/e.md": enum_page("E", [(f"V{i}", v) for i, v in enumerate(values)])}
    def check(schema: ir.Schema) -> None:
        [enum] = schema.enums
        assert enum.value_type == "string" and [m.value for m in enum.members] == values
    return tree(tmp, pages), check


@case("enum-value-with-5000-digits")
def _huge_int(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/e.md": enum_page("E", [("A", "9" * 5000)])}
    def check(schema: ir.Schema) -> None:
        assert len(schema.enums) == 1 or find(schema, "E103")
    return tree(tmp, pages), check


@case("duplicate-operation-names-in-one-group")
def _dup_ops(tmp: Path) -> tuple[list[str], Check]:
    page = group_page("g", ["op", "op"])
    pages = {"docs/sdks/g/README.md": page, "docs/models/operations/result.md": RESULT_PAGE}
    first, second = [n for n, line in enumerate(page.split("\n"), 1) if line == "## op"]
    def check(schema: ir.Schema) -> None:
        [group] = schema.groups  # the first `## op` is kept, the second reported at its heading
        assert [(o.name, o.source.line) for o in group.operations] == [("op", first)]
        assert any(d.file == "docs/sdks/g/README.md" and d.line == second and d.severity.value in ("error", "warning")
                   for d in schema.diagnostics), [d.render() for d in schema.diagnostics]
    return tree(tmp, pages), check


@case("one-group-on-two-pages-with-a-repeated-operation")
def _merge_repeated(tmp: Path) -> tuple[list[str], Check]:
    example = "import lib\n\ns = lib.Lib()\n\nres = s.foo.op(value='x')"
    pages = {"docs/sdks/a/README.md": group_page("foo", ["op"]),
             "docs/sdks/b/README.md": group_page("FOO", ["op", "op"], example=example),
             "docs/models/operations/result.md": RESULT_PAGE}
    def check(schema: ir.Schema) -> None:
        assert [g.name for g in schema.groups] == ["foo"]
    return tree(tmp, pages), check
