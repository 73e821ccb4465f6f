"""Sizes and depth: 10,000-row tables, types nested 50 and 500 deep in every dialect, reference cycles."""

from __future__ import annotations

from pathlib import Path

from generator import ir

from .builders import MINUS, enum_page, field_row, find, model_page, problems, union_page, write_tree
from .registry import FIRST_ROW, Check, case, tree, model_named, depth


@case("table-with-10000-rows")
def _rows(tmp: Path) -> tuple[list[str], Check]:
    rows = [field_row(f"field_{i}", "*Optional[int]*", MINUS, f"Row {i}.") for i in range(10_000)]
    pages = {"docs/models/shared/wide.md": model_page("Wide", rows)}
    def check(schema: ir.Schema) -> None:
        fields = model_named(schema, "Wide").fields
        assert len(fields) == 10_000 and fields[-1].source.line == FIRST_ROW + 9_999
    return tree(tmp, pages), check


@case("enum-with-10000-values")
def _values(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/e.md": enum_page("E", [(f"V{i}", f"v{i}") for i in range(10_000)])}
    def check(schema: ir.Schema) -> None:
        assert len(schema.enums[0].members) == 10_000
    return tree(tmp, pages), check


NEST_50 = {  # dialect: (type text 50 deep, page root inside the corpus layout)
    "python": ("List[" * 50 + "*str*" + "]" * 50, "py"),
    "typescript": ("Array<" * 50 + "*string*" + ">" * 50, "ts"),
    "php": ("array<" * 50 + "*string*" + ">" * 50, "php"),
    "java": ("List<" * 50 + "*String*" + ">" * 50, "java"),
    "go": ("[]" * 50 + "*string*", "go"),
}
DIALECT_HINT = {"python": "*Optional[int]*", "typescript": "*number*", "php": "*?int*", "java": "*Long*", "go": "map[string]*string*"}


@case("types-nested-50-deep-in-every-dialect")
def _nest50(tmp: Path) -> tuple[list[str], Check]:
    docs = []
    for dialect, (text, folder) in NEST_50.items():
        page = model_page(f"Deep{dialect.title()}", [field_row("deep", text), field_row("hint", DIALECT_HINT[dialect], MINUS)])
        docs.append(str(write_tree(tmp / folder, {"docs/models/shared/deep.md": page})))
    def check(schema: ir.Schema) -> None:
        assert sorted(schema.api.dialects) == sorted(NEST_50)
        assert not find(schema, "E103")
        for model in schema.models:
            assert depth(model.fields[0].type) == 50, model.name
    return docs, check


NEST_500 = {
    "python": "List[" * 500 + "*str*" + "]" * 500,
    "typescript": "Array<" * 500 + "*string*" + ">" * 500,
    "php": "array<" * 500 + "*string*" + ">" * 500,
    "java": "List<" * 500 + "*String*" + ">" * 500,
}


@case("types-nested-500-deep-are-E103")
def _nest500(tmp: Path) -> tuple[list[str], Check]:
    docs = []
    for dialect, text in NEST_500.items():
        page = model_page(f"Deep{dialect.title()}", [field_row("deep", text), field_row("hint", DIALECT_HINT[dialect], MINUS)])
        docs.append(str(write_tree(tmp / dialect, {"docs/models/shared/deep.md": page})))
    def check(schema: ir.Schema) -> None:
        deep = find(schema, "E103")
        assert len(deep) == len(NEST_500) and all(d.line == FIRST_ROW for d in deep)
        assert all(m.fields[0].type.kind == "any" for m in schema.models)
    return docs, check


@case("go-slices-500-deep")
def _go500(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/deep.md": model_page("Deep", [field_row("deep", "[]" * 500 + "*string*"), field_row("hint", "map[string]*string*", MINUS)])}
    def check(schema: ir.Schema) -> None:
        assert [d.line for d in find(schema, "E103")] == [FIRST_ROW]
    return tree(tmp, pages), check


@case("go-slices-and-maps-100-deep")
def _go100(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/deep.md": model_page("Deep", [field_row("slices", "[]" * 100 + "*string*"),
                                                                field_row("maps", "map[string]" * 100 + "*string*")])}
    def check(schema: ir.Schema) -> None:
        assert sorted(d.line for d in find(schema, "E103")) == [FIRST_ROW, FIRST_ROW + 1]
    return tree(tmp, pages), check


@case("reference-cycles-terminate")
def _cycles(tmp: Path) -> tuple[list[str], Check]:
    a = model_page("A", [field_row("b", "[Optional[shared.B]](../../models/shared/b.md)", MINUS),
                         field_row("me", "List[[shared.A](../../models/shared/a.md)]")])
    b = model_page("B", [field_row("a", "[shared.A](../../models/shared/a.md)")])
    u = union_page("U", [("U", "shared.U"), ("Items", "List[shared.U]"), ("A", "shared.A")])
    pages = {"docs/models/shared/a.md": a, "docs/models/shared/b.md": b, "docs/models/shared/u.md": u}
    def check(schema: ir.Schema) -> None:
        assert not schema.unresolved and not problems(schema)
        assert model_named(schema, "A").fields[0].type == ir.ref("B", "shared")
        assert model_named(schema, "A").fields[1].type == ir.list_of(ir.ref("A", "shared"))
        assert schema.unions[0].variants[0] == ir.ref("U", "shared")
    return tree(tmp, pages), check
