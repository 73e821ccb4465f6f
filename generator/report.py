"""What commands print on stderr: diagnostics, errors, summaries, --verbose details.

Errors always; warnings and summaries unless --quiet; notes, timings and the files written
with --verbose. Colour only on a terminal (click strips styles when stderr is not one).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import click

from .diagnostics import Diagnostic, Severity
from .write import resolve_out

if TYPE_CHECKING:  # pragma: no cover
    from .workflow import Run
    from .write import Difference

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


class Output:
    """What a command prints to stderr: errors always; warnings and summaries unless --quiet;
    notes and timings with --verbose. Colour only on a terminal (click strips it elsewhere)."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet

    def diagnostics(self, diags: Iterable[Diagnostic]) -> None:
        """Diagnostics, `file:line: severity[CODE]: message`, filtered by verbosity."""
        for diag in diags:
            if diag.severity is Severity.NOTE and not self.verbose:
                continue
            if diag.severity is not Severity.ERROR and self.quiet:
                continue
            word = f"{diag.severity.value}[{diag.code}]"
            click.echo(diag.render().replace(word, click.style(word, fg=_COLOURS[diag.severity], bold=True), 1),
                       err=True)

    def error(self, message: str) -> None:
        """An error line (always printed)."""
        click.echo(click.style(message, fg="red"), err=True)

    def info(self, message: str) -> None:
        """A summary line (not with --quiet)."""
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        """A --verbose line."""
        if self.verbose:
            click.echo(click.style(message, dim=True), err=True)

    def timings(self, run: "Run") -> None:
        """Seconds per phase (--verbose)."""
        if run.timings:
            self.detail("docs2sdk: " + ", ".join(f"{k} {v:.2f} s" for k, v in run.timings.items()))


def print_diagnostics(diags: Iterable[Diagnostic], verbose: bool = False) -> None:
    """Diagnostics to stderr; notes only with --verbose."""
    Output(False, verbose).diagnostics(diags)


def report_differences(out: Path, label: str, files: dict[str, str], found: list["Difference"],
                        show_diff: bool, quiet: bool) -> None:
    """One stdout line per differing file, and with --diff its unified diff."""
    if quiet:
        return
    real = resolve_out(out)
    for item in found:
        click.echo(f"{label}/{item.path}: {item.state}")
        if not show_diff:
            continue
        old = [] if item.state == "added" else (real / item.path).read_text(
            encoding="utf-8", errors="replace").splitlines(keepends=True)
        new = [] if item.state == "removed" else files[item.path].splitlines(keepends=True)
        before = "/dev/null" if item.state == "added" else f"a/{item.path}"
        after = "/dev/null" if item.state == "removed" else f"b/{item.path}"
        text = "".join(difflib.unified_diff(old, new, before, after))
        click.echo(text or f"--- {before}\n+++ {after}\n", nl=False)  # an empty file has no hunk
