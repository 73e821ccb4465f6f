"""Worker processes for CPU-bound batches: forked (so they start with the parent's imports) and
tied to the run (a killed docs2sdk leaves no worker behind).

Workers are plain `os.fork` children that answer over pipes (pickled, length-prefixed), not a
multiprocessing pool: importing concurrent.futures and starting a pool cost ~0.02 s a run,
more than some batches take.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """How many workers a batch may use: the usable cores (at most 8); 1 where fork is missing
    or in a daemonic process (one may not start children: docs2sdk run by a multiprocessing pool)."""
    multiprocessing = sys.modules.get("multiprocessing")  # a pool's worker has it imported already
    if not hasattr(os, "fork") or (multiprocessing is not None and multiprocessing.current_process().daemon):
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(usable, 8))


def worker_init(parent: int, death_signal: bool = True) -> None:
    """Make a worker die with the run: a killed docs2sdk must not leave workers waiting forever
    on a queue nobody will write to (Linux: a parent-death signal, unless `death_signal` is False;
    everywhere: a thread that polls for the parent twice a second)."""
    if death_signal:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watcher() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watcher, daemon=True).start()


def send(fd: int, value: Any) -> None:
    """Write one pickled value to a pipe (8-byte length first)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end of the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> Any:
    """Read one value that `send` wrote (EOFError when the writer is gone)."""
    return pickle.loads(_read_exact(fd, int.from_bytes(_read_exact(fd, 8), "little")))


def fork_child(serve: Callable[[int, int], None]) -> tuple[int, int, int]:
    """Fork a worker that runs `serve(requests_fd, answers_fd)` and exits; returns (pid, the fd
    to write requests to, the fd to read answers from). The worker dies with this process."""
    parent = os.getpid()
    to_child, requests = os.pipe()[::-1]
    answers, from_child = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (to_child, requests, answers, from_child):
            os.close(fd)
        raise
    if pid == 0:  # pragma: no cover - runs in the worker (measured by the tests' outcomes)
        status = 1
        try:
            os.close(to_child)
            os.close(answers)
            worker_init(parent, death_signal=False)  # importing ctypes would cost the worker ~4 ms
            serve(requests, from_child)
            status = 0
        finally:
            os._exit(status)
    os.close(requests)
    os.close(from_child)
    return pid, to_child, answers


def stop(pid: int, *fds: int) -> None:
    """Close a worker's pipes, kill it and reap it."""
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _answer_one(func: Callable[[Any], Any], item: Any) -> Callable[[int, int], None]:
    def serve(_requests: int, answers: int) -> None:
        try:
            outcome: tuple[bool, Any] = (True, func(item))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            outcome = (False, exc)
        try:
            send(answers, outcome)
        except (pickle.PicklingError, TypeError, AttributeError):
            send(answers, (False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    return serve


def fork_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`func` over `items`, the first here and each other in a forked worker process, all at
    once; the results in the order of `items`. An item whose worker cannot be forked (a process
    limit, no memory) is done here after the first.

    `func` must not rely on threads of this process; an exception in a worker is raised here.
    When the caller is interrupted, the workers are killed.
    """
    started: dict[int, tuple[int, int, int]] = {}  # item index -> worker
    try:
        for index in range(1, len(items)):
            try:
                started[index] = fork_child(_answer_one(func, items[index]))
            except OSError:
                pass
        return [_result(started[index]) if index in started else func(item) for index, item in enumerate(items)]
    finally:
        for pid, requests, answers in started.values():
            stop(pid, requests, answers)


def start_task(func: Callable[[], None]) -> Callable[[], None]:
    """Run `func` in a forked child while this process goes on; return `wait`, which reaps the
    child. Where no child can be had (one core, no fork, a daemonic process, fork failing),
    `func` runs here at once. For work whose failure only costs time (storing caches): the
    child's exceptions end the child and nothing else."""
    if cores() <= 1:
        func()
        return lambda: None
    try:
        pid, requests, answers = fork_child(lambda _requests, _answers: func())
    except OSError:
        func()
        return lambda: None
    os.close(requests)  # the child answers nothing: it is only waited for
    os.close(answers)

    def wait() -> None:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already
            pass

    return wait


def _result(worker: tuple[int, int, int]) -> Any:
    """A worker's answer (its exception raised here)."""
    pid, _requests, answers = worker
    try:
        ok, value = receive(answers)
    except EOFError:
        raise RuntimeError(f"worker process {pid} died before it answered") from None
    if not ok:
        raise value
    return value
