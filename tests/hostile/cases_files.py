"""Links, files and symlinks: paths leaving the root, undecodable or huge pages, odd files and page shapes."""

from __future__ import annotations

import os
from pathlib import Path

from generator import ir

from .builders import OK_PAGE, RESULT_PAGE, codes, field_row, find, model_page, problems, symlink, write_tree
from .registry import FIRST_ROW, MARKER, Check, case, tree


LINKS = ["[X](../../../etc/passwd)", "[X](/etc/passwd)", "[X](file:///etc/passwd)", "[X](http://evil.example/x.md)",
         "[X](../../../../../../../../etc/passwd.md)", "[X](//evil.example/x.md)", "[X](<../../../etc/passwd>)",
         "[X](..%2F..%2F..%2Fetc%2Fpasswd)", "[X](~/.ssh/id_rsa)", "[X](C:\\\\Windows\\\\win.ini)"]


@case("links-outside-the-root-are-never-followed")
def _links(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": model_page("M", [field_row(f"f{i}", link) for i, link in enumerate(LINKS)])}
    def check(schema: ir.Schema) -> None:
        leave = sorted(d.line for d in find(schema, "W103"))
        assert leave == [FIRST_ROW + 1, FIRST_ROW + 4, FIRST_ROW + 5]  # /etc/passwd, ../../../../.., //evil
        assert sorted(d.line for d in find(schema, "W102")) == [FIRST_ROW, FIRST_ROW + 6, FIRST_ROW + 7, FIRST_ROW + 8, FIRST_ROW + 9]
        assert [u.name for u in schema.unresolved] == ["X"]
    return tree(tmp, pages), check


def _outside(tmp: Path) -> Path:
    out = tmp / "outside"
    write_tree(out, {"secret.md": model_page("Secret", [field_row(MARKER)]),
                     "models/shared/leak.md": model_page("Leak", [field_row(MARKER)]),
                     "spk/gen.lock": "generatedFiles:\n  - docs/models/shared/nothing.md\n"})
    return out


@case("symlinks-leaving-the-root-are-not-read")
def _symlinks(tmp: Path) -> tuple[list[str], Check]:
    out = _outside(tmp)
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE})
    symlink(root / "docs/models/shared/secret.md", out / "secret.md")        # a symlinked page
    symlink(root / "docs/models/linked", out / "models")                     # a symlinked directory
    symlink(root / "docs/models/shared/dir.md", out / "models")             # a directory symlink named .md
    symlink(root / "README.md", out / "secret.md")                           # the README itself
    symlink(root / "docs/models/shared/zero.md", Path("/dev/zero"))          # a device
    symlink(root / "docs/up", Path("../.."))                                 # the parent, relative
    def check(schema: ir.Schema) -> None:
        assert MARKER not in ir.dump_json(schema)
        assert [m.name for m in schema.models] == ["Okay"]
        assert sorted(d.file for d in find(schema, "W103")) == ["docs/models/shared/secret.md", "docs/models/shared/zero.md"]
    return [str(root)], check


@case("symlink-loop-named-x.md")
def _loop(tmp: Path) -> tuple[list[str], Check]:
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE})
    symlink(root / "docs/a.md", root / "docs/b.md")
    symlink(root / "docs/b.md", root / "docs/a.md")
    symlink(root / "docs/self.md", root / "docs/self.md")
    def check(schema: ir.Schema) -> None:
        assert [m.name for m in schema.models] == ["Okay"]
    return [str(root)], check


@case("docs-folder-is-a-symlink-to-outside")
def _docs_link(tmp: Path) -> tuple[list[str], Check]:
    out = _outside(tmp)
    root = write_tree(tmp / "api", {"README.md": "# Api\n"})
    symlink(root / "docs", out)
    def check(schema: ir.Schema) -> None:
        assert MARKER not in ir.dump_json(schema)
    return [str(root)], check


@case("speakeasy-folder-is-a-symlink-to-outside")
def _lock_link(tmp: Path) -> tuple[list[str], Check]:
    out = _outside(tmp)
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE})
    symlink(root / ".speakeasy", out / "spk")
    def check(schema: ir.Schema) -> None:
        assert [m.name for m in schema.models] == ["Okay"] and not find(schema, "N101")
    return [str(root)], check


@case("gen-lock-listing-paths-outside-the-root")
def _lock_paths(tmp: Path) -> tuple[list[str], Check]:
    out = _outside(tmp)
    lock = f"generatedFiles:\n  - docs/models/shared/ok.md\n  - ../outside/secret.md\n  - {out / 'secret.md'}\n"
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE, ".speakeasy/gen.lock": lock})
    def check(schema: ir.Schema) -> None:
        assert MARKER not in ir.dump_json(schema) and [m.name for m in schema.models] == ["Okay"]
    return [str(root)], check


@case("non-utf8-pages-are-E002")
def _non_utf8(tmp: Path) -> tuple[list[str], Check]:
    pages: dict[str, str | bytes] = {
        "docs/models/shared/ok.md": OK_PAGE,
        "docs/models/shared/latin1.md": model_page("Café", [field_row("a")]).encode("latin-1"),
        "docs/models/shared/utf16.md": model_page("M", [field_row("a")]).encode("utf-16"),
        "docs/models/shared/garbage.md": b"# M\n\n\xff\xfe\x80\x81 \xc3\x28\n",
        "docs/models/shared/truncated.md": "# Ü".encode("utf-8")[:-1],
    }
    def check(schema: ir.Schema) -> None:
        bad = {(d.file, d.line, d.severity.value) for d in find(schema, "E002")}
        assert bad == {(f"docs/models/shared/{n}.md", 0, "error") for n in ("latin1", "utf16", "garbage", "truncated")}
        assert [m.name for m in schema.models] == ["Okay"]
    return tree(tmp, pages), check


@case("page-larger-than-8-MiB-is-E002")
def _huge_page(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/ok.md": OK_PAGE,
             "docs/models/shared/huge.md": model_page("Huge", [field_row("a")]) + "y" * (8 * 1024 * 1024)}
    def check(schema: ir.Schema) -> None:
        [big] = find(schema, "E002")
        assert (big.file, big.line) == ("docs/models/shared/huge.md", 0) and "larger" in big.message
    return tree(tmp, pages), check


@case("the-only-page-is-not-utf8")
def _only_bad(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/bad.md": b"# M\n\xff\n"}
    def check(schema: ir.Schema) -> None:
        assert codes(schema, "error") == ["E002"]
    return tree(tmp, pages), check


@case("utf8-bom-at-the-start-of-a-page")
def _bom(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": "\ufeff" + model_page("M", [field_row("a")])}
    def check(schema: ir.Schema) -> None:
        assert [m.name for m in schema.models] == ["M"] and not find(schema, "W101")
    return tree(tmp, pages), check


@case("page-of-only-pipe-lines")
def _pipes(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/pipes.md": "|\n||\n| | |\n|---|\n|\n|||||||||\n",
             "docs/models/shared/fields.md": "# M\n\n## Fields\n\n|\n||\n|||\n| `a` | *str* |\n"}
    def check(schema: ir.Schema) -> None:
        assert [(d.file, d.line) for d in find(schema, "W101")] == [("docs/models/shared/pipes.md", 1)]
        assert {(d.file, d.line) for d in find(schema, "E102")} == {("docs/models/shared/fields.md", 3), ("docs/models/shared/fields.md", 5)}
    return tree(tmp, pages), check


@case("unbalanced-code-fences")
def _fences(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/m.md": "# M\n\n## Fields\n\n```\n| Field | Type | Required | Description |\n| - | - | - | - |\n",
             "docs/sdks/g/README.md": "# g\n\n## Overview\n\n### Available Operations\n\n* [op](#op) - x\n\n## op\n\n"
                                      "### Example Usage\n\n````python\nimport lib\n```\ns = lib.Lib(\n",
             "docs/models/operations/result.md": RESULT_PAGE}
    def check(schema: ir.Schema) -> None:
        assert [(d.file, d.line) for d in find(schema, "E102")] == [("docs/models/shared/m.md", 3)]
        assert [(d.file, d.line) for d in find(schema, "W104")] == [("docs/sdks/g/README.md", 13)]
        assert [g.name for g in schema.groups] == ["g"]
    return tree(tmp, pages), check


@case("nested-blockquotes-and-lists")
def _quotes(tmp: Path) -> tuple[list[str], Check]:
    quoted = "# Q\n\n" + "> " * 200 + "deep\n\n## Fields\n\n> | Field | Type | Required | Description |\n> | - | - | - | - |\n> | `a` | *str* | :heavy_check_mark: | x |\n"
    listed = "# L\n\n" + "".join("  " * i + "- item\n" for i in range(300)) + "\n" + "> " * 5000 + "x\n"
    pages = {"docs/models/shared/q.md": quoted, "docs/models/shared/l.md": listed}
    def check(schema: ir.Schema) -> None:
        assert [m.name for m in schema.models] == ["Q"]  # a Fields table inside a quote still counts
        assert [(d.file, d.line) for d in find(schema, "W101")] == [("docs/models/shared/l.md", 1)]
    return tree(tmp, pages), check


@case("empty-and-blank-pages")
def _empty(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/empty.md": "", "docs/models/shared/blank.md": " \n\t\n\n", "docs/models/shared/hash.md": "#",
             "docs/models/shared/fields.md": "# F\n\n## Fields\n", "docs/models/shared/ok.md": OK_PAGE}
    def check(schema: ir.Schema) -> None:
        assert sorted(d.file for d in find(schema, "W101")) == [f"docs/models/shared/{n}.md" for n in ("blank", "empty", "hash")]
        assert [(d.file, d.line) for d in find(schema, "E102")] == [("docs/models/shared/fields.md", 3)]
    return tree(tmp, pages), check


@case("union-page-without-variants")
def _empty_union(tmp: Path) -> tuple[list[str], Check]:
    pages = {"docs/models/shared/union.md": "# U\n\n## Supported Types\n\nNothing here.\n", "docs/models/shared/ok.md": OK_PAGE}
    def check(schema: ir.Schema) -> None:
        assert [d for d in problems(schema) if d.file == "docs/models/shared/union.md"], [u.name for u in schema.unions]
    return tree(tmp, pages), check


@case("a-directory-named-x.md")
def _dir_md(tmp: Path) -> tuple[list[str], Check]:
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE, "docs/models/shared/x.md/inner.md": model_page("Inner", [field_row("a")])})
    (root / "docs/models/shared/empty.md").mkdir()
    def check(schema: ir.Schema) -> None:
        assert [m.name for m in schema.models] == ["Inner", "Okay"]
        assert not problems(schema)
    return [str(root)], check


@case("a-loose-directory-named-x.md-given-as-docs", cli_exit=(2,))  # E001: a DOCS path without pages is a usage error
def _loose_dir(tmp: Path) -> tuple[list[str], Check]:
    (tmp / "x.md").mkdir(parents=True)
    loose = write_tree(tmp, {"m.md": model_page("M", [field_row("a")])})
    def check(schema: ir.Schema) -> None:
        assert [(d.code, d.file) for d in find(schema, "E001")] == [("E001", str(tmp / "x.md"))]
    return [str(tmp / "x.md"), str(loose / "m.md")], check


@case("file-name-that-is-not-utf8")
def _bad_name(tmp: Path) -> tuple[list[str], Check]:
    root = write_tree(tmp / "api", {"docs/models/shared/ok.md": OK_PAGE})
    folder = os.fsencode(root / "docs/models/shared")
    with open(os.path.join(folder, b"bad\xff.md"), "wb") as handle:
        handle.write(model_page("Bad", [field_row("a")]).encode("utf-8"))
    def check(schema: ir.Schema) -> None:
        pass  # the UTF-8 encoding check every case runs is the assertion
    return [str(root)], check


@case("file-names-with-newlines-and-odd-characters")
def _odd_files(tmp: Path) -> tuple[list[str], Check]:
    names = ["new\nline.md", "tab\t.md", "quote\".md", "-dash.md", " space .md", "日本.md", "..md"]
    pages = {f"docs/models/shared/{n}": model_page(f"M{i}", [field_row("a")]) for i, n in enumerate(names)}
    def check(schema: ir.Schema) -> None:
        assert sorted(m.source.file for m in schema.models) == sorted(f"docs/models/shared/{n}" for n in names)
    return tree(tmp, pages), check
