"""The `schema` command: golden IR of input_docs, determinism, exit codes, --strict, configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, assert_valid_ir, corpus
from generator.cli import main

GOLDEN_IR = ROOT / "tests" / "golden" / "input_docs.ir.json"


def run_schema(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `docs2sdk schema` in a fresh interpreter (so PYTHONHASHSEED and imports are real)."""
    return subprocess.run([sys.executable, "-m", "generator.cli", "schema", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_golden_ir_of_input_docs(update_golden: bool) -> None:
    """The IR of input_docs equals tests/golden/input_docs.ir.json (run pytest --update-golden to accept)."""
    result = CliRunner().invoke(main, ["schema", "input_docs"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_valid_ir(json.loads(result.stdout))
    if update_golden:
        GOLDEN_IR.write_text(result.stdout, encoding="utf-8")
    assert GOLDEN_IR.is_file(), "no golden IR yet: run `pytest --update-golden` to create it"
    assert result.stdout == GOLDEN_IR.read_text(encoding="utf-8"), (
        "the IR of input_docs changed; inspect `git diff` after `pytest --update-golden` to accept it")


@pytest.mark.parametrize("docs", ["input_docs", "featuretest-python-2023-11"])
def test_output_is_byte_identical_across_runs_and_hash_seeds(docs: str, tmp_path: Path) -> None:
    """Same input, same bytes: two runs with different PYTHONHASHSEED values."""
    path = str(ROOT / docs) if docs == "input_docs" else str(corpus(docs))
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"ir-{seed}.json"
        proc = subprocess.run([sys.executable, "-m", "generator.cli", "schema", path, "-o", str(out)],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].endswith(b"\n") and b'"ir_version": "2"' in outputs[0]


def _page(tmp_path: Path, table_row: str) -> Path:
    page = tmp_path / "docs" / "models" / "shared" / "room.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Room\n\n\n## Fields\n\n| Field | Type | Required | Description |\n"
                    "| ----- | ---- | -------- | ----------- |\n" + table_row + "\n", encoding="utf-8")
    return tmp_path


def test_errors_in_docs_exit_3_with_file_line_code_and_hint(tmp_path: Path) -> None:
    """A ragged row: exit 3, a `file:line: error[E101]` line with a hint, nothing on stdout, no traceback."""
    docs = _page(tmp_path, "| `name` | *str* | :heavy_check_mark: | N/A | extra |")
    result = CliRunner().invoke(main, ["schema", str(docs)])
    assert result.exit_code == 3
    assert "docs/models/shared/room.md:8: error[E101]:" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_warnings_pass_but_strict_makes_them_errors(tmp_path: Path) -> None:
    """An unresolved type is a warning (exit 0); under --strict it stops the run (exit 3)."""
    docs = _page(tmp_path, "| `shelf` | [shared.Shelf](../../models/shared/shelf.md) | :heavy_check_mark: | N/A |")
    relaxed = CliRunner().invoke(main, ["schema", str(docs)])
    assert relaxed.exit_code == 0 and "warning[W201]" in relaxed.stderr
    assert json.loads(relaxed.stdout)["unresolved"][0]["name"] == "Shelf"
    strict = CliRunner().invoke(main, ["schema", "--strict", str(docs)])
    assert strict.exit_code == 3 and "error[W201]" in strict.stderr


def test_output_file_and_missing_docs(tmp_path: Path) -> None:
    """-o writes the file; a DOCS path that does not exist is a usage error (exit 2)."""
    out = tmp_path / "ir.json"
    ok = CliRunner().invoke(main, ["schema", "input_docs", "-o", str(out)])
    assert ok.exit_code == 0 and json.loads(out.read_text())["api"]["package"] == "bookshelf"
    missing = CliRunner().invoke(main, ["schema", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "error[E001]" in missing.stderr


def test_configuration_errors_exit_2_with_a_suggestion(tmp_path: Path) -> None:
    """Unknown keys are errors with a suggestion; a malformed route is an error; no traceback."""
    bad = tmp_path / "docs2sdk.toml"
    bad.write_text('pakage = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(bad)])
    assert result.exit_code == 2 and "did you mean 'package'?" in result.stderr
    bad.write_text('[routes]\n"a.b" = "FETCH /x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(bad)])
    assert result.exit_code == 2 and "is not 'METHOD /path'" in result.stderr
    bad.write_text('naming = [', encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(bad)])
    assert result.exit_code == 2 and "invalid TOML" in result.stderr


def test_a_configured_route_for_an_unknown_operation_is_reported(tmp_path: Path) -> None:
    """W302 names the configuration entry that matches nothing."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[routes]\n"books.steal_book" = "POST /books/steal"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(cfg)])
    assert result.exit_code == 0 and "warning[W302]" in result.stderr and "books.steal_book" in result.stderr


@pytest.mark.parametrize(("toml", "message"), [
    ('[headers]\n"loans.list_loans" = { x_correlation_id = "X Correlation" }\n', "is not an HTTP header name"),
    ('[headers]\n"loans.list_loans" = "X-Id"\n', "expected a table"),
    ('[pagination]\n"books.list_books" = { kind = "pages", input = "page" }\n', "needs kind = one of"),
    ('[pagination]\n"books.list_books" = { kind = "page", input = "page", size = "x" }\n', "unknown key 'size'"),
    ('[pagination]\n"books.list_books" = { kind = "page", input = "page", limit = 20 }\n', "every value is a string"),
])
def test_headers_and_pagination_configuration_errors(tmp_path: Path, toml: str, message: str) -> None:
    """A malformed [headers] or [pagination] entry is a usage error (exit 2) that says what is wrong."""
    bad = tmp_path / "docs2sdk.toml"
    bad.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(bad)])
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_headers_and_pagination_in_the_ir(tmp_path: Path) -> None:
    """Configured header inputs and paging rules reach the IR; unknown inputs are W302, an inferred
    rule is N203 at the example that calls Next(), an `x_` input left in the query is N204."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[headers]\n"loans.list_loans" = { x_correlation_id = "X-Correlation-ID", nope = "X-Nope" }\n'
                   '[pagination]\n"members.list_members" = { kind = "offset", input = "offset" }\n', encoding="utf-8")
    out = tmp_path / "ir.json"
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(cfg), "-o", str(out), "-v"])
    assert result.exit_code == 0, result.stderr
    ops = {f"{g['name']}.{o['name']}": o for g in json.loads(out.read_text())["groups"] for o in g["operations"]}
    assert ops["loans.list_loans"]["route"] is None  # -c replaces input_docs/docs2sdk.toml: no routes
    assert "names 'nope', which is not an input" in result.stderr
    paged = ops["books.list_books"]["pagination"]
    assert (paged["kind"], paged["input"], paged["limit"], paged["results"], paged["inferred"]) == (
        "page", "page", "page_size", [], True)
    assert "note[N203]" in result.stderr and "docs/sdks/books/README.md:" in result.stderr
    assert "W302" in result.stderr and "'offset' is not an input" in result.stderr
    assert ops["members.list_members"]["pagination"] is None
    assert "N204" not in result.stderr  # x_correlation_id is configured as a header
    cfg.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "input_docs", "-c", str(cfg), "-o", str(out), "-v"])
    assert "note[N204]: loans.list_loans: input 'x_correlation_id' looks like an HTTP header" in result.stderr


def test_schema_benchmark_runs() -> None:
    """bench/schema.py --quick works (a smoke test; timings are never asserted in unit tests)."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "schema.py"), "--quick"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "input_docs" in proc.stdout and "pages/s" in proc.stdout


def test_version_1_ir_documents_are_still_read() -> None:
    """IR version 2 added route headers and pagination; a version-1 document reads as having neither."""
    from generator import ir

    data = json.loads((ROOT / "tests" / "golden" / "input_docs.ir.json").read_text(encoding="utf-8"))
    data["ir_version"] = "1"
    for op in (o for g in data["groups"] for o in g["operations"]):
        op.pop("pagination")
        if op["route"]:
            op["route"].pop("headers")
    schema = ir.Schema.from_dict(data)
    ops = [o for g in schema.groups for o in g.operations]
    assert ops and all(o.pagination is None and (o.route is None or o.route.headers == ()) for o in ops)
    assert schema.to_dict()["ir_version"] == ir.IR_VERSION == "2"
