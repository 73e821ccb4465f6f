"""Command line: a thin click layer over the pipeline; exit codes are decided here only."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Optional

import click

from . import ir
from .config import Config, ConfigError, find_config
from .diagnostics import Diagnostic, ExitCode, Severity, has_errors, promote
from .format import FormatError
from .generate import Generated
from .generate import generate as generate_sdk
from .irdiff import run_diff
from .pipeline import build_schema
from .view import docs2sdk_version
from .write import WriteError, compare_tree, write_tree

DEFAULT_DOCS = "input_docs"
DEFAULT_OUT = "generated"


def print_diagnostics(diags: Iterable[Diagnostic], verbose: bool = False) -> None:
    """Diagnostics to stderr; notes only with --verbose."""
    for diag in diags:
        if diag.severity is Severity.NOTE and not verbose:
            continue
        click.echo(diag.render(), err=True)


def load_config(docs: list[str], config_path: Optional[str]) -> Config:
    """Find and validate configuration, turning problems into exit code 2."""
    try:
        return find_config(docs, config_path)
    except ConfigError as exc:
        click.echo(f"error[config]: {exc}", err=True)
        raise SystemExit(ExitCode.USAGE) from None


def schema_or_exit(docs: list[str], config: Config, strict: bool, verbose: bool) -> ir.Schema:
    """Build the IR; print diagnostics; exit 3 when the docs have errors."""
    schema = build_schema(docs, config)
    diags = promote(schema.diagnostics, strict)
    print_diagnostics(diags, verbose)
    if any(d.code == "E001" for d in diags):  # a DOCS path that does not exist is a usage error
        raise SystemExit(ExitCode.USAGE)
    if has_errors(diags):
        errors = sum(1 for d in diags if d.severity is Severity.ERROR)
        click.echo(f"docs2sdk: {errors} error(s) in the docs; nothing was written", err=True)
        raise SystemExit(ExitCode.DOCS_ERRORS)
    return schema


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _docs_or_default(docs: tuple[str, ...]) -> list[str]:
    return list(docs) if docs else [DEFAULT_DOCS]


@click.group()
@click.version_option(package_name="docs2sdk")
def main() -> None:
    """docs2sdk: generate a typed Python SDK from Speakeasy-style SDK docs."""


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("-o", "--output", "output", help="Write the IR JSON here instead of stdout.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes.")
def schema(docs: tuple[str, ...], config_path: Optional[str], output: Optional[str], strict: bool, verbose: bool) -> None:
    """Print the intermediate schema (IR) of DOCS as JSON."""
    paths = _docs_or_default(docs)
    result = schema_or_exit(paths, load_config(paths, config_path), strict, verbose)
    text = ir.dump_json(result)
    if output:
        write_text_atomic(Path(output), text)
    else:
        sys.stdout.write(text)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", "fail_on", type=click.Choice(["breaking"]), default=None,
              help="Exit 1 when a breaking change is found.")
def diff(old: str, new: str, fmt: str, fail_on: Optional[str]) -> None:
    """Compare two docs trees or IR JSON files; classify changes for SDK users and name the semver bump."""
    text, code = run_diff(old, new, fmt, fail_on)
    click.echo(text, nl=False, err=code >= ExitCode.USAGE)
    raise SystemExit(code)


def _generate_or_exit(schema_ir: ir.Schema) -> Generated:
    """Generate the SDK files; invalid generated code is reported (file and line), exit 3."""
    try:
        return generate_sdk(schema_ir)
    except FormatError as exc:
        click.echo(f"error[format]: {exc}", err=True)
        click.echo("docs2sdk: the generated code is invalid; nothing was written", err=True)
        raise SystemExit(ExitCode.DOCS_ERRORS) from None


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-o", "--output", "output", default=DEFAULT_OUT, show_default=True, help="Folder of the generated SDK.")
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changed files.")
def check(docs: tuple[str, ...], output: str, config_path: Optional[str], show_diff: bool) -> None:
    """Exit 1 when OUT is not what `generate` would write for DOCS (stale or edited by hand)."""
    paths = _docs_or_default(docs)
    result = _generate_or_exit(schema_or_exit(paths, load_config(paths, config_path), False, False))
    found = compare_tree(Path(output), result.files)
    for rel, state in found:
        click.echo(f"{output}/{rel}: {state}")
        if show_diff and state == "changed":
            old = (Path(output) / rel).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
            new = result.files[rel].splitlines(keepends=True)
            click.echo("".join(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}")), nl=False)
    if found:
        click.echo(f"docs2sdk: {output} is stale ({len(found)} file(s)); run docs2sdk generate", err=True)
        raise SystemExit(ExitCode.DIFFERENCES)
    click.echo(f"docs2sdk: {output} is up to date", err=True)


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-o", "--output", "output", default=DEFAULT_OUT, show_default=True, help="Folder of the generated SDK.")
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Write into a non-empty folder that holds no docs2sdk manifest.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes.")
def generate(docs: tuple[str, ...], output: str, config_path: Optional[str], strict: bool, force: bool,
             verbose: bool) -> None:
    """Generate the Python SDK of DOCS into OUT (default: input_docs -> generated)."""
    paths = _docs_or_default(docs)
    schema_ir = schema_or_exit(paths, load_config(paths, config_path), strict, verbose)
    result = _generate_or_exit(schema_ir)
    diags = promote(result.diagnostics, strict)
    print_diagnostics(diags, verbose)
    if has_errors(diags):
        click.echo("docs2sdk: errors found; nothing was written", err=True)
        raise SystemExit(ExitCode.DOCS_ERRORS)
    try:
        report = write_tree(Path(output), result.files, generator=f"docs2sdk {docs2sdk_version()}", force=force)
    except (WriteError, OSError) as exc:
        click.echo(f"error[write]: {exc}", err=True)
        raise SystemExit(ExitCode.USAGE) from None
    click.echo(f"docs2sdk: {output}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
               f"{len(report.removed)} removed", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
