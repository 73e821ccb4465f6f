"""A black worker started ahead of need: importing black takes ~0.05 s of CPU, while building the
package view runs on one core. So `generate` forks this worker before the view is built; it
imports black at the lowest priority (on idle CPU: the views lay out almost everything as black
does, and airbyte needs black for nothing, so the import must not slow the run's own work), and
the few statements black must see are sent to it (a large batch still goes to a pool on every
core, see format._run_jobs). Killed when the run is done, or when the run dies (worker_init).
Measured cold, 6 alternating runs each: airbyte 0.518 s at normal priority, 0.505 s niced,
0.497 s without the worker; featuretest (18 statements for black) 0.735 / 0.733 / 0.763 s."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Optional

from .workers import cores, fork_child, receive, send, stop


def _serve(requests: int, answers: int) -> None:
    """In the worker: import black, then format each batch of sources sent until the pipe ends."""
    from .format import _black_job, black_mode

    try:  # speculative: black is imported on idle CPU only (most runs need it for nothing)
        os.nice(19)
    except (OSError, AttributeError):
        pass
    black_mode()
    while True:
        try:
            sources = receive(requests)
        except (EOFError, OSError):
            return
        send(answers, [_black_job(source) for source in sources])


class WarmBlack:
    """A forked process with black imported (or importing), formatting what it is sent."""

    def __init__(self) -> None:
        self.pid, self._requests, self._answers = fork_child(_serve)

    def run(self, sources: list[str]) -> Optional[list[Optional[str]]]:
        """black's output for each source (None for a source black rejects); None when the
        worker is gone (the caller then formats in process)."""
        try:
            send(self._requests, sources)
            answer: list[Optional[str]] = receive(self._answers)
            return answer
        except (EOFError, OSError):
            return None

    def close(self) -> None:
        """Stop the worker at once (it may still be importing black: nobody needs it now)."""
        stop(self.pid, self._requests, self._answers)


_CURRENT: list[WarmBlack] = []


def current() -> Optional[WarmBlack]:
    """The warm worker of the run in progress, if any."""
    return _CURRENT[-1] if _CURRENT else None


@contextmanager
def warm_black(enabled: bool = True) -> Iterator[None]:
    """Keep a warm black worker for the duration (on machines with more than one core and fork;
    `enabled` False when the caller expects little to format)."""
    worker = None
    if enabled and cores() > 1:
        try:
            worker = WarmBlack()
        except OSError:  # no process to be had: black runs here when needed
            worker = None
    if worker is not None:
        _CURRENT.append(worker)
    try:
        yield
    finally:
        if worker is not None:
            _CURRENT.remove(worker)
            worker.close()
