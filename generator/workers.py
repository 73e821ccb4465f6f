"""Worker processes for CPU-bound batches: forked (so they start with the parent's imports) and
tied to the run (a killed docs2sdk leaves no worker behind)."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import current_process, get_all_start_methods, get_context
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """How many workers a batch may use: the usable cores (at most 8); 1 where fork is missing
    or in a daemonic process (one may not start children: docs2sdk run by a multiprocessing pool)."""
    if "fork" not in get_all_start_methods() or current_process().daemon:
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(usable, 8))


def worker_init(parent: int) -> None:
    """Make a worker die with the run: a killed docs2sdk must not leave workers waiting forever
    on a queue nobody will write to (Linux: a parent-death signal; elsewhere: polling)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def fork_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`func` over `items`, the first here and each other in a forked worker process, all at
    once; the results in the order of `items`.

    `func` must be a module-level function; an exception in a worker is raised here. When
    the caller is interrupted, queued items are dropped and the pool is not waited for.
    """
    if len(items) <= 1:
        return [func(item) for item in items]
    pool = ProcessPoolExecutor(max_workers=len(items) - 1, mp_context=get_context("fork"), initializer=worker_init,
                               initargs=(os.getpid(),))
    try:
        others = pool.map(func, items[1:])
        results = [func(items[0]), *others]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results
