"""`docs2sdk diff`: classification rules on edited copies of input_docs, the airbyte months, I/O and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import ir
from generator.cli import main
from generator.irdiff import Change, Report, diff_schemas, load_side, render_json, render_text, run_diff

ROOT = Path(__file__).resolve().parents[1]
INPUT_DOCS = ROOT / "input_docs"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SHARED_PAGES = Path("docs") / "models" / "shared"


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> ir.Schema:
    """The IR of the unedited sample docs (the OLD side of every edit test)."""
    return load_side(str(INPUT_DOCS))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of input_docs to edit (the NEW side)."""
    target = tmp_path / "new"
    shutil.copytree(INPUT_DOCS, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace text that must be present exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_row(path: Path, first_cell: str, old: str, new: str) -> None:
    """Replace text inside the table row whose first cell is `first_cell` (cell padding kept apart)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if re.match(rf"\|\s*{re.escape(first_cell)}\s*\|", line)]
    assert len(rows) == 1 and old in lines[rows[0]], (first_cell, old)
    lines[rows[0]] = lines[rows[0]].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def drop_row(path: Path, first_cell: str) -> None:
    """Delete the table row whose first cell is `first_cell`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not re.match(rf"\|\s*{re.escape(first_cell)}\s*\|", line)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def summary(report: Report) -> list[tuple[str, str, str, str]]:
    """(kind, action, path, level) of every change, in report order."""
    return [(c.kind, c.action, c.path, c.level) for c in report.changes]


# --- each classified change, on an edited copy of the sample docs ----------------------------


def test_no_change_is_none_and_exit_0(base: ir.Schema, docs: Path) -> None:
    report = diff_schemas(base, load_side(str(docs)))
    assert report.changes == () and report.bump == "none" and report.breaking == 0
    assert render_text(report) == "no changes -> none\n"
    assert run_diff(str(INPUT_DOCS), str(docs), "text", "breaking") == ("no changes -> none\n", 0)
    assert run_diff(str(INPUT_DOCS), str(docs), "json", None) == (
        '{\n  "breaking": 0,\n  "bump": "none",\n  "changes": []\n}\n', 0)


def test_removed_field_is_breaking(base: ir.Schema, docs: Path) -> None:
    drop_row(docs / SHARED_PAGES / "book.md", "`subtitle`")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("field", "removed", "shared.Book.subtitle", "major")]
    assert report.changes[0].old == "string, optional" and report.bump == "major"


def test_optional_to_required_breaks_request_models_only(base: ir.Schema, docs: Path) -> None:
    for page in ("bookinput.md", "book.md"):  # BookInput is a request body; Book is only returned
        edit_row(docs / SHARED_PAGES / page, "`subtitle`", "*Optional[str]*", "*str*")
        edit_row(docs / SHARED_PAGES / page, "`subtitle`", ":heavy_minus_sign:", ":heavy_check_mark:")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [
        ("required", "changed", "shared.Book.subtitle", "minor"),
        ("required", "changed", "shared.BookInput.subtitle", "major"),
    ]
    assert all((c.old, c.new) == ("optional", "required") for c in report.changes)
    assert report.breaking == 1 and report.bump == "major"


def test_required_in_response_only_model_is_minor(base: ir.Schema, docs: Path) -> None:
    edit_row(docs / SHARED_PAGES / "book.md", "`subtitle`", "*Optional[str]*", "*str*")
    edit_row(docs / SHARED_PAGES / "book.md", "`subtitle`", ":heavy_minus_sign:", ":heavy_check_mark:")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("required", "changed", "shared.Book.subtitle", "minor")]
    assert report.bump == "minor" and report.breaking == 0
    assert run_diff(str(INPUT_DOCS), str(docs), "text", "breaking")[1] == 0


def test_required_to_optional_in_request_model_is_minor(base: ir.Schema, docs: Path) -> None:
    edit_row(docs / SHARED_PAGES / "bookinput.md", "`copies_total`", "*int*", "*Optional[int]*")
    edit_row(docs / SHARED_PAGES / "bookinput.md", "`copies_total`", ":heavy_check_mark:", ":heavy_minus_sign:")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("required", "changed", "shared.BookInput.copies_total", "minor")]
    assert report.changes[0].reason == "now optional: callers may omit it"


def test_field_type_change_is_breaking(base: ir.Schema, docs: Path) -> None:
    edit_row(docs / SHARED_PAGES / "book.md", "`page_count`", "*Optional[int]*", "*Optional[str]*")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("type", "changed", "shared.Book.page_count", "major")]
    assert (report.changes[0].old, report.changes[0].new) == ("integer", "string")


def test_enum_member_removed_and_added(base: ir.Schema, docs: Path) -> None:
    page = docs / SHARED_PAGES / "bookformat.md"
    drop_row(page, "`AUDIOBOOK`")
    edit(page, "| `EBOOK`     | e-book      |", "| `EBOOK`     | e-book      |\n| `LARGE_PRINT` | large-print |")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [
        ("member", "removed", "shared.BookFormat.AUDIOBOOK", "major"),
        ("member", "added", "shared.BookFormat.LARGE_PRINT", "minor"),
    ]
    assert report.changes[1].new == '"large-print"'


def test_enum_member_added_alone_is_minor(base: ir.Schema, docs: Path) -> None:
    page = docs / SHARED_PAGES / "bookformat.md"
    edit(page, "| `EBOOK`     | e-book      |", "| `EBOOK`     | e-book      |\n| `LARGE_PRINT` | large-print |")
    report = diff_schemas(base, load_side(str(docs)))
    assert report.bump == "minor" and report.breaking == 0 and len(report.changes) == 1


def test_wire_name_change_from_configuration_is_breaking(base: ir.Schema, docs: Path) -> None:
    edit(docs / "docs2sdk.toml", '"Book.isbn_13" = "ISBN13"', '"Book.isbn_13" = "isbn13"')
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("wire_name", "changed", "shared.Book.isbn_13", "major")]
    assert (report.changes[0].old, report.changes[0].new) == ("ISBN13", "isbn13")


def test_route_change_is_breaking(base: ir.Schema, docs: Path) -> None:
    edit(docs / "docs2sdk.toml", '"books.get_book" = "GET /books/{book_id}"',
         '"books.get_book" = "GET /v2/books/{book_id}"')
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("route", "changed", "books.get_book", "major")]
    assert (report.changes[0].old, report.changes[0].new) == ("GET /books/{book_id}", "GET /v2/books/{book_id}")


def test_header_and_pagination_changes(base: ir.Schema, docs: Path) -> None:
    """A header input back in the query is breaking; losing Next() is breaking, a new rule is minor."""
    edit(docs / "docs2sdk.toml", '"loans.list_loans" = { x_correlation_id = "X-Correlation-ID" }', "")
    edit(docs / "docs2sdk.toml", '"loans.list_loans" = { kind = "page", input = "page", limit = "page_size", '
                                 'results = "" }', '"loans.list_loans" = { kind = "offset", input = "page" }')
    edit(docs / "docs" / "sdks" / "books" / "README.md", "res = res.Next()", "res = None")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [
        ("example", "changed", "books.list_books", "patch"),
        ("pagination", "removed", "books.list_books", "major"),
        ("pagination", "changed", "loans.list_loans", "minor"),
        ("header", "changed", "loans.list_loans(x_correlation_id)", "major"),
    ]
    assert [(c.old, c.new) for c in report.changes if c.kind != "example"] == [
        ("page over page, results the body, page size page_size", None),
        ("page over page, results the body, page size page_size", "offset over page, results the body"),
        ("X-Correlation-ID", "(query)")]


def test_added_operation_is_minor(base: ir.Schema, docs: Path) -> None:
    page = docs / "docs" / "sdks" / "health" / "README.md"
    text = page.read_text(encoding="utf-8")
    section = text[text.index("## get_health"):]
    edit(page, "* [get_health](#get_health) - Check service health",
         "* [get_health](#get_health) - Check service health\n"
         "* [get_health_details](#get_health_details) - Check every dependency")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + section.replace("get_health", "get_health_details"),
                    encoding="utf-8")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("operation", "added", "health.get_health_details", "minor")]
    assert report.bump == "minor"


def test_description_only_change_is_patch(base: ir.Schema, docs: Path) -> None:
    edit(docs / SHARED_PAGES / "book.md", "A title held in the catalogue", "A title held in the library catalogue")
    report = diff_schemas(base, load_side(str(docs)))
    assert summary(report) == [("description", "changed", "shared.Book", "patch")]
    assert report.bump == "patch"
    text = render_text(report)
    assert text.startswith("Documentation changes (1):\n  ~ description shared.Book: 'A title held in the")
    assert text.endswith("\n0 breaking, 1 non-breaking changes -> patch\n")


# --- rendering and exit codes ---------------------------------------------------------------


@pytest.fixture
def mixed(docs: Path) -> Path:
    """One breaking (field removed), one minor (member added) and one patch change."""
    drop_row(docs / SHARED_PAGES / "book.md", "`subtitle`")
    edit(docs / SHARED_PAGES / "bookformat.md", "| `EBOOK`     | e-book      |",
         "| `EBOOK`     | e-book      |\n| `LARGE_PRINT` | large-print |")
    edit(docs / SHARED_PAGES / "genre.md", "Genres nest to any depth.", "Genres nest.")
    return docs


def test_text_output_is_grouped_with_summary(mixed: Path) -> None:
    text, code = run_diff(str(INPUT_DOCS), str(mixed), "text", None)
    assert code == 0
    assert text == (
        "Breaking changes (1):\n"
        "  - field shared.Book.subtitle (string, optional); the attribute is gone: code that sets or reads it fails\n"
        "\n"
        "Non-breaking changes (1):\n"
        "  + member shared.BookFormat.LARGE_PRINT (\"large-print\"); new member\n"
        "\n"
        "Documentation changes (1):\n"
        "  ~ description shared.Genre: 'A node of the genre tree. Genres nest to any depth.' -> "
        "'A node of the genre tree. Genres nest.'; the description text changed\n"
        "\n"
        "1 breaking, 2 non-breaking changes -> major\n"
    )


def test_json_output_is_deterministic(mixed: Path) -> None:
    text, code = run_diff(str(INPUT_DOCS), str(mixed), "json", None)
    data = json.loads(text)
    assert code == 0 and text.endswith("}\n")
    assert text == json.dumps(data, sort_keys=True, indent=2) + "\n"
    assert set(data) == {"bump", "breaking", "changes"}
    assert (data["bump"], data["breaking"]) == ("major", 1)
    assert data["changes"][0] == {
        "kind": "field", "action": "removed", "path": "shared.Book.subtitle", "old": "string, optional",
        "new": None, "breaking": True, "level": "major",
        "reason": "the attribute is gone: code that sets or reads it fails",
    }
    assert [c["path"] for c in data["changes"]] == sorted(c["path"] for c in data["changes"])
    assert run_diff(str(INPUT_DOCS), str(mixed), "json", None)[0] == text


def test_fail_on_breaking_sets_exit_1(mixed: Path, docs: Path) -> None:
    assert run_diff(str(INPUT_DOCS), str(mixed), "text", None)[1] == 0
    assert run_diff(str(INPUT_DOCS), str(mixed), "text", "breaking")[1] == 1
    assert run_diff(str(INPUT_DOCS), str(mixed), "json", "breaking")[1] == 1


def test_ir_json_files_as_inputs(mixed: Path, tmp_path: Path) -> None:
    old_ir, new_ir = tmp_path / "old.ir.json", tmp_path / "new.ir.json"
    for docs_path, out in ((INPUT_DOCS, old_ir), (mixed, new_ir)):
        result = CliRunner().invoke(main, ["schema", str(docs_path), "-o", str(out)])
        assert result.exit_code == 0, result.output
    from_docs = run_diff(str(INPUT_DOCS), str(mixed), "json", "breaking")
    assert run_diff(str(old_ir), str(new_ir), "json", "breaking") == from_docs
    assert run_diff(str(old_ir), str(mixed), "json", "breaking") == from_docs
    assert run_diff(str(old_ir), str(old_ir), "text", "breaking") == ("no changes -> none\n", 0)


def test_unreadable_inputs_exit_2_with_a_message(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    text, code = run_diff(str(missing), str(INPUT_DOCS), "text", None)
    assert code == 2 and text == f"{missing}: no such file or directory\n"
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json", encoding="utf-8")
    text, code = run_diff(str(INPUT_DOCS), str(bad_json), "text", None)
    assert code == 2 and text.startswith(f"{bad_json}: invalid JSON (") and "Traceback" not in text
    old_version = tmp_path / "v0.json"
    old_version.write_text('{"ir_version": "0"}', encoding="utf-8")
    text, code = run_diff(str(old_version), str(INPUT_DOCS), "text", None)
    assert code == 2 and "unsupported ir_version '0'" in text
    not_ir = tmp_path / "list.json"
    not_ir.write_text('{"ir_version": "1", "models": [{"name": "X"}]}', encoding="utf-8")
    text, code = run_diff(str(not_ir), str(INPUT_DOCS), "text", None)
    assert code == 2 and text.startswith(f"{not_ir}: not an IR document")


def test_bad_options_and_configuration_exit_2(docs: Path) -> None:
    assert run_diff(str(INPUT_DOCS), str(docs), "yaml", None)[1] == 2
    assert run_diff(str(INPUT_DOCS), str(docs), "text", "minor")[1] == 2
    edit(docs / "docs2sdk.toml", 'naming = "camel"', 'namig = "camel"')
    text, code = run_diff(str(INPUT_DOCS), str(docs), "text", None)
    assert code == 2 and text.startswith("error[config]:") and "did you mean 'naming'" in text


def test_docs_errors_exit_3(docs: Path) -> None:
    edit_row(docs / SHARED_PAGES / "book.md", "`subtitle`", ":heavy_minus_sign:", "yes")
    text, code = run_diff(str(INPUT_DOCS), str(docs), "text", None)
    assert code == 3
    assert "error[E203]" in text and text.rstrip().endswith(f"error(s) in {docs}")


# --- rules that are simpler to show on hand-made IR -----------------------------------------

SPAN = ir.Span("x.md", 1)


def _schema(fields: tuple[ir.Field, ...] = (), *, op: ir.Operation | None = None,
            union: tuple[ir.TypeRef, ...] = (ir.prim("string"),)) -> ir.Schema:
    """One model `shared.M` (used as a response when `op` returns it), one union, one operation."""
    operation = op or ir.Operation(name="get", source=SPAN, response=ir.ref("M", "shared"))
    return ir.Schema(
        api=ir.Api(package="p", sdk_class="P"),
        models=(ir.Model(name="M", namespace="shared", fields=fields, source=SPAN),),
        unions=(ir.Union(name="U", namespace="shared", variants=union, source=SPAN),),
        groups=(ir.Group(name="g", source=SPAN, operations=(operation,)),),
    )


def _field(**changes: object) -> ir.Field:
    values: dict[str, object] = {"name": "a", "type": ir.prim("string"), "required": True, "source": SPAN}
    values.update(changes)
    return ir.Field(**values)  # type: ignore[arg-type]


def test_ref_rename_is_a_type_change() -> None:
    report = diff_schemas(_schema((_field(type=ir.list_of(ir.ref("A", "shared"))),)),
                          _schema((_field(type=ir.list_of(ir.ref("B", "shared"))),)))
    assert summary(report) == [("type", "changed", "shared.M.a", "major")]
    assert (report.changes[0].old, report.changes[0].new) == ("list[shared.A]", "list[shared.B]")


def test_nullable_rules_follow_the_direction_of_use() -> None:
    request_op = ir.Operation(name="put", source=SPAN, request=ir.ref("M", "shared"))
    widen = [(_field(), _field(nullable=True)), (_field(nullable=True), _field())]
    levels = [(diff_schemas(_schema((a,)), _schema((b,))).bump,
               diff_schemas(_schema((a,), op=request_op), _schema((b,), op=request_op)).bump) for a, b in widen]
    # (response model, request model): None newly returned breaks readers; None newly rejected breaks callers
    assert levels == [("major", "minor"), ("minor", "major")]


def test_union_variants_and_enum_values() -> None:
    report = diff_schemas(_schema(union=(ir.prim("string"), ir.prim("integer"))),
                          _schema(union=(ir.prim("string"), ir.ref("M", "shared"))))
    assert summary(report) == [("variant", "removed", "shared.U[integer]", "major"),
                               ("variant", "added", "shared.U[shared.M]", "minor")]
    member = ir.EnumMember(name="A", value="a", source=SPAN)
    enum = ir.Enum(name="E", namespace="shared", value_type="string", members=(member,), source=SPAN)
    changed = ir.Enum(name="E", namespace="shared", value_type="string", source=SPAN,
                      members=(ir.EnumMember(name="A", value="aa", source=SPAN, deprecated=True),))
    report = diff_schemas(ir.Schema(api=ir.Api(), enums=(enum,)), ir.Schema(api=ir.Api(), enums=(changed,)))
    assert summary(report) == [("deprecated", "changed", "shared.E.A", "minor"),
                               ("value", "changed", "shared.E.A", "major")]


def test_operation_rules() -> None:
    old = ir.Operation(name="get", source=SPAN)
    new = ir.Operation(name="get", source=SPAN, response=ir.ref("M", "shared"), route=ir.Route("GET", "/m"),
                       parameters=(ir.Parameter(name="q", type=ir.prim("string"), required=False, source=SPAN),
                                   ir.Parameter(name="id", type=ir.prim("string"), required=True, source=SPAN)),
                       deprecated=True)
    report = diff_schemas(_schema(op=old), _schema(op=new))
    assert summary(report) == [
        ("deprecated", "changed", "g.get", "minor"),
        ("response", "changed", "g.get", "minor"),
        ("route", "changed", "g.get", "minor"),
        ("parameter", "added", "g.get(id)", "major"),
        ("parameter", "added", "g.get(q)", "minor"),
    ]
    back = diff_schemas(_schema(op=new), _schema(op=old))
    assert [c.level for c in back.changes] == ["minor", "major", "major", "major", "major"]


# --- the real corpora: the Airbyte Python docs of 2023-05 and 2023-06 -----------------------


@pytest.fixture(scope="module")
def airbyte() -> tuple[ir.Schema, ir.Schema, Report]:
    """OLD = the 2023-05 docs (example code only), NEW = the 2023-06 docs (model pages)."""
    if not CORPORA.is_dir():
        pytest.skip(f"the shared corpora are not at {CORPORA} (expected beside the checkout)")
    old, new = load_side(str(CORPORA / "airbyte-python-2023-05")), load_side(str(CORPORA / "airbyte-python"))
    return old, new, diff_schemas(old, new)


def test_airbyte_months_counts(airbyte: tuple[ir.Schema, ir.Schema, Report]) -> None:
    old, new, report = airbyte
    counts = Counter((c.kind, c.action, c.level) for c in report.changes)
    assert counts == Counter({
        ("model", "added", "minor"): 266,  # 2023-05 has no model pages: every model is new
        ("enum", "added", "minor"): 32,
        ("response", "changed", "minor"): 108,  # 2023-05 names no response types
        ("response_field", "added", "minor"): 151,  # e.g. the *_exception_info attributes
        ("response_field", "changed", "minor"): 95,  # attributes read from examples, untyped then
        ("description", "changed", "patch"): 95,  # their descriptions, empty then
        ("example", "changed", "patch"): 98,  # regenerated example values
        ("request", "changed", "major"): 1,
    })
    assert len(old.models) == 0 and len(new.models) == 266 and len(new.enums) == 32
    assert report.bump == "major" and report.breaking == 1


def test_airbyte_operations_are_the_same_in_both_months(airbyte: tuple[ir.Schema, ir.Schema, Report]) -> None:
    old, new, report = airbyte
    ops = [{(g.name, o.name): o for g in s.groups for o in g.operations} for s in (old, new)]
    assert ops[0].keys() == ops[1].keys() and len(ops[0]) == 108
    same_request = [k for k in ops[0] if ops[0][k].request == ops[1][k].request]
    assert len(same_request) == 107
    assert not [c for c in report.changes if c.kind in ("operation", "group") or c.action == "removed"]


def test_airbyte_single_breaking_change_comes_from_an_unparsable_example(
        airbyte: tuple[ir.Schema, ir.Schema, Report]) -> None:
    old, _, report = airbyte
    assert [c for c in report.changes if c.breaking] == [Change(
        "request", "changed", "state.create_or_update_state", "major", "the method now takes a request argument",
        "(none)", "shared.ConnectionStateCreateOrUpdate")]
    # The 2023-05 example has `name='Ms. Tracey D'Amore'`, so its request type could not be read.
    assert any(d.code == "W104" and d.file == "docs/state/README.md" for d in old.diagnostics)


def test_airbyte_run_diff_exit_codes(airbyte: tuple[ir.Schema, ir.Schema, Report]) -> None:
    old, new = str(CORPORA / "airbyte-python-2023-05"), str(CORPORA / "airbyte-python")
    text, code = run_diff(old, new, "text", None)
    assert code == 0 and text.endswith("\n1 breaking, 845 non-breaking changes -> major\n")
    assert run_diff(old, new, "text", "breaking")[1] == 1
    assert json.loads(run_diff(old, new, "json", None)[0])["bump"] == "major"
    assert run_diff(new, new, "text", "breaking") == ("no changes -> none\n", 0)
    assert render_json(airbyte[2]) == run_diff(old, new, "json", None)[0]


def test_diff_command_line(tmp_path: Path) -> None:
    """`docs2sdk diff` prints the report; --fail-on breaking exits 1 on a breaking change; bad input exits 2."""
    from click.testing import CliRunner

    from generator.cli import main

    same = CliRunner().invoke(main, ["diff", "input_docs", "input_docs"])
    assert same.exit_code == 0 and "-> none" in same.stdout
    old_ir = tmp_path / "old.json"
    assert CliRunner().invoke(main, ["schema", "input_docs", "-o", str(old_ir)]).exit_code == 0
    data = json.loads(old_ir.read_text())
    data["enums"][0]["members"].append({"name": "EXTRA", "value": "extra", "deprecated": False,
                                        "source": {"file": "x.md", "line": 1}})
    old_ir.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["diff", str(old_ir), "input_docs", "--fail-on", "breaking", "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["bump"] == "major"
    bad = CliRunner().invoke(main, ["diff", str(tmp_path / "missing"), "input_docs"])
    assert bad.exit_code == 2 and bad.stderr
