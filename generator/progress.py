"""A one-line progress bar on stderr for runs longer than a second, on a terminal only.

Silent when stderr is not a terminal, under CI (`CI` set to anything but 0/false), with
TERM=dumb and with --quiet, so logs and pipes never see carriage returns. The bar is redrawn
when work advances (at most ten times a second), never from a thread: worker processes are
forked while it is alive and must not inherit a half-written line or a held lock.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, Optional, Protocol, TextIO


class Reporter(Protocol):
    """What pipeline stages call: a new phase (with its amount of work), and progress in it."""

    def phase(self, label: str, total: int = 0) -> None:
        """Start a phase; total 0 means its size is unknown."""

    def advance(self, n: int = 1) -> None:
        """n more units of the current phase are done."""


def interactive(stream: TextIO, environ: Optional[dict[str, str]] = None) -> bool:
    """True when a progress bar may be drawn on `stream`: a terminal, not CI, not TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """The progress line. Draws nothing until `delay` seconds have passed since it started."""

    def __init__(self, stream: TextIO, *, enabled: bool, delay: float = 1.0, interval: float = 0.1,
                 clock: Callable[[], float] = time.monotonic, width: int = 24) -> None:
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.width = width
        self.started = clock()
        self.label = ""
        self.total = 0
        self.done = 0
        self._drawn_at = -1.0
        self._shown = 0

    @classmethod
    def for_stderr(cls, quiet: bool = False) -> "Progress":
        """The progress line of a command: stderr, enabled only where it belongs."""
        return cls(sys.stderr, enabled=not quiet and interactive(sys.stderr))

    def phase(self, label: str, total: int = 0) -> None:
        """Start a phase; the line shows it at once (once the delay has passed)."""
        self.label, self.total, self.done = label, max(0, total), 0
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        """Count work done in the current phase."""
        self.done += n
        self._draw(force=False)

    def render(self) -> str:
        """The text of the line: phase, bar and count when the size is known, elapsed seconds."""
        elapsed = f"{self.clock() - self.started:.1f} s"
        if not self.total:
            return f"docs2sdk: {self.label}... {elapsed}"
        filled = min(self.width, self.width * self.done // self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        return f"docs2sdk: {self.label} [{bar}] {min(self.done, self.total)}/{self.total} {elapsed}"

    def _draw(self, force: bool) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (not force and now - self._drawn_at < self.interval):
            return
        text = self.render()
        self.stream.write("\r" + text + " " * max(0, self._shown - len(text)))
        self.stream.flush()
        self._shown, self._drawn_at = len(text), now

    def close(self) -> None:
        """Erase the line (so the summary and diagnostics start on a clean line)."""
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
