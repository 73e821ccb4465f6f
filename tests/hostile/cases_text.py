"""Hostile text in descriptions, examples and example code: quotes, templates, controls, huge lines."""

from __future__ import annotations

from pathlib import Path

from generator import ir

from .builders import MINUS, RESULT_PAGE, field_row, find, group_page, model_page, problems
from .registry import FIRST_ROW, Check, case, tree, model_named


HOSTILE_TEXT = ['"""triple"""', "'''single'''", "{{ jinja }}", "{% if x %}{% endif %}", "<script>alert(1)</script>",
                "<b>html</b> &amp;", "c\x01d\x1b[31m\x7f", "\u202e rtl \ufeff zero\u200bwidth", "${HOME} $(id) `id`",
                "%s %(x)s {0}", "ends with backslash \\\\"]
VERBATIM = [t.replace("\\\\", "\\") for t in HOSTILE_TEXT]  # a markdown-escaped backslash is one backslash


@case("hostile-descriptions-and-examples-kept-verbatim")
def _text(tmp: Path) -> tuple[list[str], Check]:
    rows = [field_row(f"f{i}", description=t, example=t) for i, t in enumerate(HOSTILE_TEXT)]
    pages = {"docs/models/shared/m.md": model_page("M", rows, description='Model """doc""" {{x}} {% raw %} <i>hi</i> \\ end')}
    def check(schema: ir.Schema) -> None:
        model = model_named(schema, "M")
        assert [f.description for f in model.fields] == VERBATIM
        assert [f.example for f in model.fields] == [v.strip("`") for v in VERBATIM]
        assert model.description == 'Model """doc""" {{x}} {% raw %} <i>hi</i> \\ end'
        assert not problems(schema)
    return tree(tmp, pages), check


@case("nul-bytes-become-replacement-characters")
def _nul(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": model_page("M", [field_row("a", description="x\x00y")], description="d\x00e")}
    def check(schema: ir.Schema) -> None:
        model = model_named(schema, "M")  # CommonMark replaces NUL with U+FFFD before parsing
        assert model.fields[0].description == "x\ufffdy" and model.description == "d\ufffde"
    return tree(tmp, pages), check


@case("carriage-return-inside-a-row-is-a-clean-E101")
def _cr(tmp: Path) -> tuple[list[str], Check]:
    text = model_page("M", [field_row("a", description="one\rtwo"), field_row("b")]).replace("\n", "\r\n")
    pages = {"docs/models/shared/m.md": text}
    def check(schema: ir.Schema) -> None:
        ragged = find(schema, "E101")
        assert ragged and all(d.file == "docs/models/shared/m.md" for d in ragged)
        assert {d.line for d in ragged} >= {FIRST_ROW, FIRST_ROW + 1}
        assert [f.name for f in model_named(schema, "M").fields][-1] == "b"
    return tree(tmp, pages), check


@case("100-KB-lines-in-descriptions-and-examples")
def _long_lines(tmp: Path) -> tuple[list[str], Check]:
    big = "x" * 100_000
    pages = {"docs/models/shared/m.md": model_page("M", [field_row("a", description=big, example=big)], description=big)}
    def check(schema: ir.Schema) -> None:
        model = model_named(schema, "M")
        assert model.description == big and model.fields[0].description == big and model.fields[0].example == big
    return tree(tmp, pages), check


@case("form-feed-and-unicode-line-separators-before-a-table")
def _separators(tmp: Path) -> tuple[list[str], Check]:
    pages = {f"docs/models/shared/m{i}.md": model_page(f"M{i}", [field_row("a"), field_row("b")], description=f"x{sep}y")
             for i, sep in enumerate(["\x0c", "\x0b", "\x1c", "\x85", "\u2028"])}
    def check(schema: ir.Schema) -> None:
        assert not find(schema, "E101"), [d.render() for d in find(schema, "E101")]
    return tree(tmp, pages), check


@case("literal-that-overflows-a-float")
def _infinity(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": model_page("M", [field_row("a", f"Literal[{'9' * 400}.5]"), field_row("b", "*Optional[int]*", MINUS)])}
    def check(schema: ir.Schema) -> None:
        pass  # the strict-JSON check every case runs is the assertion
    return tree(tmp, pages), check


@case("hostile-example-code-kept-verbatim")
def _examples(tmp: Path) -> tuple[list[str], Check]:
    code = 'import lib\n\ns = lib.Lib()\n\nres = s.g.op(value="""{{ x }}""" + \'\\\\\')  # {% raw %}\n'
    pages = {"docs/sdks/g/README.md": group_page("g", ["op"], example=code), "docs/models/operations/result.md": RESULT_PAGE}
    def check(schema: ir.Schema) -> None:
        [group] = schema.groups
        assert group.name == "g" and group.operations[0].examples[0].code == code
        assert schema.api.sdk_class == "Lib"
    return tree(tmp, pages), check


@case("100-KB-python-example")
def _huge_example(tmp: Path) -> tuple[list[str], Check]:
    code = "x = " + "-" * 100_000 + "1"
    pages = {"docs/sdks/g/README.md": group_page("g", ["op"], example=code), "docs/models/operations/result.md": RESULT_PAGE}
    def check(schema: ir.Schema) -> None:
        assert [g.name for g in schema.groups] == ["g"]
    return tree(tmp, pages), check


@case("example-with-a-2000-link-attribute-chain")
def _deep_attr(tmp: Path) -> tuple[list[str], Check]:
    code = "import lib\n\ns = lib.Lib()\n\nres = s." + "a." * 2000 + "op(value='x')\n"
    pages = {"docs/sdks/g/README.md": group_page("g", ["op"], example=code), "docs/models/operations/result.md": RESULT_PAGE}
    def check(schema: ir.Schema) -> None:
        assert len(schema.groups) == 1
    return tree(tmp, pages), check
