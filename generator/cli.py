"""Command line: a thin click layer over the pipeline; exit codes are decided here only.

Heavy modules are imported inside the commands that need them, so `check` and `generate`
on up-to-date output never import the reader, the view, Jinja or black.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

from .config import Config, ConfigError, find_config
from .diagnostics import Diagnostic, ExitCode, Severity, has_errors, promote
from .progress import Progress
from .report import Output, report_differences
from .cache import cache_root
from .workflow import Counts, Run, counts_of, generator_name, page_store, read_docs
from .write import WriteError, clean_leftovers, compare_tree, resolve_out, write_text_atomic, write_tree

if TYPE_CHECKING:  # pragma: no cover
    from . import ir
    from .format import FormatStats
    from .generate import Generated

DEFAULT_DOCS = "input_docs"
DEFAULT_OUT = "generated"
_clock_start: Optional[float] = time.perf_counter()  # the first command's time includes the imports


def generate_sdk(schema: "ir.Schema", progress: Optional[Progress] = None,
                 stats: Optional["FormatStats"] = None) -> "Generated":
    """`generate.generate` (a seam for tests; imported on first use)."""
    from .file_cache import FileCache
    from .generate import generate

    files = FileCache.default()
    try:
        return generate(schema, progress=progress, stats=stats, files=files)
    finally:
        files.close()


def load_config(docs: list[str], config_path: Optional[str]) -> Config:
    """Find and validate configuration, turning problems into exit code 2."""
    try:
        return find_config(docs, config_path)
    except ConfigError as exc:
        click.echo(click.style(f"error[config]: {exc}", fg="red"), err=True)
        raise SystemExit(ExitCode.USAGE) from None


def _exit_on_docs_errors(diags: tuple[Diagnostic, ...], output: Output, what: str) -> None:
    """Exit 2 for a missing DOCS path, 3 for errors in the docs (after printing them)."""
    if any(d.code == "E001" for d in diags):  # a DOCS path that does not exist is a usage error
        raise SystemExit(ExitCode.USAGE)
    if has_errors(diags):
        errors = sum(1 for d in diags if d.severity is Severity.ERROR)
        output.error(f"docs2sdk: {errors} error(s) in the docs; {what}")
        raise SystemExit(ExitCode.DOCS_ERRORS)


def schema_or_exit(docs: list[str], config: Config, strict: bool, verbose: bool,
                   output: Optional[Output] = None) -> "ir.Schema":
    """Build the IR (with the page cache); print diagnostics; exit 3 when the docs have errors."""
    output = output or Output(False, verbose)
    schema, note = read_docs(docs, config, page_store(cache_root()))
    if note:
        output.detail(note)
    diags = promote(schema.diagnostics, strict)
    output.diagnostics(diags)
    _exit_on_docs_errors(diags, output, "nothing was written")
    return schema


def _docs_or_default(docs: tuple[str, ...]) -> list[str]:
    return list(docs) if docs else [DEFAULT_DOCS]


def _start_run(paths: list[str], config_path: Optional[str]) -> Run:
    """The run of `check` or `generate`, whose background cache store is waited for on every exit."""
    run = Run.start(paths, load_config(paths, config_path))
    click.get_current_context().call_on_close(lambda: run.caches_kept())
    return run


def _started() -> float:
    """When this command started (the first command of a process counts the imports too)."""
    global _clock_start
    start, _clock_start = (_clock_start if _clock_start is not None else time.perf_counter()), None
    return start


def _verbosity(func: "click.decorators.FC") -> "click.decorators.FC":
    func = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")(func)
    return click.option("-v", "--verbose", is_flag=True, help="Also print notes and timings.")(func)


@click.group()
@click.version_option(package_name="docs2sdk")
def main() -> None:
    """docs2sdk: generate a typed Python SDK from Speakeasy-style SDK docs."""


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("-o", "--output", "output", help="Write the IR JSON here instead of stdout.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_verbosity
def schema(docs: tuple[str, ...], config_path: Optional[str], output: Optional[str], strict: bool, verbose: bool,
           quiet: bool) -> None:
    """Print the intermediate schema (IR) of DOCS as JSON."""
    from . import ir

    started = _started()
    out = Output(quiet, verbose)
    paths = _docs_or_default(docs)
    result = schema_or_exit(paths, load_config(paths, config_path), strict, verbose, out)
    text = ir.dump_json(result)
    if output:
        write_text_atomic(Path(output), text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    counts = counts_of(result, 0)
    out.info(f"{counts.models} models, {counts.enums} enums, {counts.operations} operations -> "
             f"{output or 'stdout'} in {time.perf_counter() - started:.1f} s")


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", "fail_on", type=click.Choice(["breaking"]), default=None,
              help="Exit 1 when a breaking change is found.")
def diff(old: str, new: str, fmt: str, fail_on: Optional[str]) -> None:
    """Compare two docs trees or IR JSON files; classify changes for SDK users and name the semver bump."""
    from .irdiff import run_diff

    text, code = run_diff(old, new, fmt, fail_on)
    click.echo(text, nl=False, err=code >= ExitCode.USAGE)
    raise SystemExit(code)


def _generate_or_exit(schema_ir: "ir.Schema", run: Run, progress: Progress, output: Output) -> "Generated":
    """Generate the SDK files; invalid generated code is reported (file and line), exit 3."""
    from .format import FormatError, FormatStats

    stats = FormatStats()
    started = time.perf_counter()
    try:
        result = generate_sdk(schema_ir, progress=progress, stats=stats)
    except FormatError as exc:
        progress.close()
        output.error(f"error[format]: {exc}")
        output.error("docs2sdk: the generated code is invalid; nothing was written")
        raise SystemExit(ExitCode.DOCS_ERRORS) from None
    run.timings["generate"] = time.perf_counter() - started
    output.detail(f"docs2sdk: {stats.files_cached} files from the file cache; formatting: {stats.blocks} blocks, "
                  f"{stats.cached} from the cache, {stats.black_jobs} through black, {stats.seconds:.2f} s")
    return result


def _prepare(run: Run, strict: bool, progress: Progress, output: Output, what: str) -> "ir.Schema":
    """The IR of the run, its diagnostics printed; exits on docs errors."""
    schema_ir = run.schema(progress)
    progress.close()
    diags = promote(schema_ir.diagnostics, strict)
    output.diagnostics(diags)
    _exit_on_docs_errors(diags, output, what)
    if run.schema_from_cache:
        output.detail("docs2sdk: docs unchanged since an earlier run; the IR came from the run cache")
    elif run.page_note:
        output.detail(run.page_note)
    return schema_ir


def _replay(run: Run, strict: bool, output: Output) -> Counts:
    """Diagnostics and counts of a run proven up to date by its record (nothing was read)."""
    assert run.record is not None
    diags = promote(run.record.schema_diagnostics, strict)
    output.diagnostics(diags)
    _exit_on_docs_errors(diags, output, "nothing was written")
    gen_diags = promote(run.record.generate_diagnostics, strict)
    output.diagnostics(gen_diags)
    if has_errors(gen_diags):
        output.error("docs2sdk: errors found; nothing was written")
        raise SystemExit(ExitCode.DOCS_ERRORS)
    output.detail("docs2sdk: inputs and output match a cached run record; no docs were read")
    return Counts.from_dict(run.record.counts)


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-o", "--output", "output", default=DEFAULT_OUT, show_default=True, help="Folder of the generated SDK.")
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of every differing file.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_verbosity
def check(docs: tuple[str, ...], output: str, config_path: Optional[str], show_diff: bool, strict: bool,
          verbose: bool, quiet: bool) -> None:
    """Exit 1 when OUT is not what `generate` would write for DOCS (stale or edited by hand).

    Nothing is written to OUT or beside it."""
    started = _started()
    out_msg = Output(quiet, verbose)
    paths = _docs_or_default(docs)
    run = _start_run(paths, config_path)
    if run.record is not None and run.up_to_date(Path(output)):
        counts = _replay(run, strict, out_msg)
        out_msg.timings(run)
        out_msg.info(counts.summary(0, time.perf_counter() - started))
        out_msg.info(f"docs2sdk: {output} is up to date")
        return
    progress = Progress.for_stderr(quiet)
    schema_ir = _prepare(run, strict, progress, out_msg, "nothing was compared")
    result = _generate_or_exit(schema_ir, run, progress, out_msg)
    progress.close()
    gen_diags = promote(result.diagnostics, strict)
    out_msg.diagnostics(gen_diags)
    found = compare_tree(Path(output), result.files)
    run.remember(schema_ir, result)
    report_differences(Path(output), output, result.files, found, show_diff, quiet)
    out_msg.timings(run)
    out_msg.info(counts_of(schema_ir, len(result.files)).summary(len(found), time.perf_counter() - started))
    if has_errors(gen_diags):
        raise SystemExit(ExitCode.DOCS_ERRORS)
    if found:
        kinds = {k: sum(1 for d in found if d.state == k) for k in ("added", "removed", "changed")}
        out_msg.info(f"docs2sdk: {output} is stale: {kinds['added']} added, {kinds['removed']} removed, "
                     f"{kinds['changed']} changed; run docs2sdk generate")
        raise SystemExit(ExitCode.DIFFERENCES)
    out_msg.info(f"docs2sdk: {output} is up to date")


@main.command()
@click.argument("docs", nargs=-1)
@click.option("-o", "--output", "output", default=DEFAULT_OUT, show_default=True, help="Folder of the generated SDK.")
@click.option("-c", "--config", "config_path", help="Configuration file (docs2sdk.toml or pyproject.toml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Write into a non-empty folder that holds no docs2sdk manifest.")
@_verbosity
def generate(docs: tuple[str, ...], output: str, config_path: Optional[str], strict: bool, force: bool,
             verbose: bool, quiet: bool) -> None:
    """Generate the Python SDK of DOCS into OUT (default: input_docs -> generated).

    Only changed files are rewritten, and OUT is replaced in one atomic step."""
    started = _started()
    out_msg = Output(quiet, verbose)
    paths = _docs_or_default(docs)
    run = _start_run(paths, config_path)
    if run.record is not None and run.up_to_date(Path(output)):
        counts = _replay(run, strict, out_msg)
        clean_leftovers(resolve_out(Path(output)))
        out_msg.timings(run)
        out_msg.info(counts.summary(0, time.perf_counter() - started))
        return
    progress = Progress.for_stderr(quiet)
    schema_ir = _prepare(run, strict, progress, out_msg, "nothing was written")
    result = _generate_or_exit(schema_ir, run, progress, out_msg)
    progress.close()
    diags = promote(result.diagnostics, strict)
    out_msg.diagnostics(diags)
    if has_errors(diags):
        out_msg.error("docs2sdk: errors found; nothing was written")
        raise SystemExit(ExitCode.DOCS_ERRORS)
    write_started = time.perf_counter()
    try:
        report = write_tree(Path(output), result.files, generator=generator_name(), force=force)
    except (WriteError, OSError) as exc:
        out_msg.error(f"error[write]: {exc}")
        raise SystemExit(ExitCode.USAGE) from None
    run.timings["write"] = time.perf_counter() - write_started
    run.remember(schema_ir, result)
    for rel in report.written:
        out_msg.detail(f"docs2sdk: wrote {output}/{rel}")
    for rel in report.removed:
        out_msg.detail(f"docs2sdk: removed {output}/{rel}")
    out_msg.timings(run)
    out_msg.info(counts_of(schema_ir, len(result.files)).summary(report.changed, time.perf_counter() - started))


def entry_point() -> None:
    """The `docs2sdk` command: `main`, then exit without tearing the interpreter down (freeing a
    run's objects one by one took 0.02-0.04 s of every run; files and caches are closed by then)."""
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`docs2sdk ... | head`)
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":  # pragma: no cover - `python -m generator.cli`
    gc.disable()  # as `python -m generator` and the console script run (generator/__main__.py)
    entry_point()
