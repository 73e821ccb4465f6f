"""What commands print on stderr: diagnostics, errors, summaries, --verbose details.

Errors always; warnings and summaries unless --quiet; notes, timings and the files written
with --verbose. Colour only on a terminal (click strips styles when stderr is not one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import click

from .diagnostics import Diagnostic, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .workflow import Run

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
