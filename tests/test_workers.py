"""generator/workers.py: forked workers that answer over pipes."""

from __future__ import annotations

import os
import threading

import pytest

from pathlib import Path

from generator import workers
from generator.workers import cores, fork_child, fork_map, receive, send, start_task, stop

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _square(x: int) -> int:
    return x * x


def _pid_of(_x: int) -> int:
    return os.getpid()


def _fail(x: int) -> int:
    raise ValueError(f"bad {x}")  # the message names the item, so the test knows whose it was


def _die(x: int) -> int:
    if x:
        os._exit(3)
    return x


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("no pickle")
        self.lock = threading.Lock()


def _raise_unpicklable(_x: int) -> int:
    raise _Unpicklable()


def test_results_come_in_order_from_other_processes() -> None:
    assert fork_map(_square, list(range(5))) == [0, 1, 4, 9, 16]
    pids = fork_map(_pid_of, [0, 1, 2])
    assert pids[0] == os.getpid() and len(set(pids)) == 3
    assert fork_map(_square, [7]) == [49] and fork_map(_square, []) == []


def test_a_large_answer_crosses_the_pipe_whole() -> None:
    big = fork_map(lambda n: "x" * n, [1, 5_000_000])  # larger than any pipe buffer
    assert big == ["x", "x" * 5_000_000]


def test_a_worker_exception_is_raised_here() -> None:
    with pytest.raises(ValueError, match="bad 1"):
        fork_map(lambda x: _fail(x) if x else 0, [0, 1])  # the worker's item (1) fails, not this one's
    with pytest.raises(RuntimeError, match="_Unpicklable: no pickle"):
        fork_map(lambda x: _raise_unpicklable(x) if x else 0, [0, 1])


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="died before it answered"):
        fork_map(_die, [0, 1])


def test_no_worker_is_left_behind() -> None:
    before = _children()
    fork_map(_square, [1, 2, 3])
    with pytest.raises(ValueError):
        fork_map(lambda x: _fail(x) if x else 0, [0, 1])
    assert _children() == before


def test_a_serving_worker_answers_until_its_requests_end() -> None:
    def serve(requests: int, answers: int) -> None:
        while True:
            try:
                value = receive(requests)
            except EOFError:
                return
            send(answers, value * 2)

    pid, requests, answers = fork_child(serve)
    send(requests, 21)
    assert receive(answers) == 42
    send(requests, "ab")
    assert receive(answers) == "abab"
    stop(pid, requests, answers)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_cores_is_at_least_one() -> None:
    assert 1 <= cores() <= 8


def _children() -> set[int]:
    """Live (or unreaped) children of this process, from /proc."""
    task = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    if not os.path.exists(task):
        pytest.skip("needs /proc/<pid>/task/<tid>/children")
    with open(task, encoding="ascii") as handle:
        return {int(p) for p in handle.read().split()}


def test_items_whose_worker_cannot_be_forked_are_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process limit (fork raising EAGAIN) costs time, not the run."""
    real_fork = os.fork
    forks = iter([True, False])  # the first fork succeeds, the second hits the limit

    def limited() -> int:
        if next(forks, False):
            return real_fork()
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", limited)
    open_fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    pids = fork_map(_pid_of, [0, 1, 2])
    assert pids[0] == pids[2] == os.getpid() and pids[1] != os.getpid()
    assert fork_map(_square, [1, 2, 3]) == [1, 4, 9]  # no fork at all
    if open_fds is not None:
        assert len(os.listdir("/proc/self/fd")) == open_fds  # no pipe left open


def test_a_task_runs_in_another_process_and_wait_reaps_it(tmp_path: Path) -> None:
    """start_task: the work is done by a child (its pid is written) and is finished once `wait`
    returns; the child is gone then."""
    if cores() < 2:
        pytest.skip("one core: tasks run in process")
    marker = tmp_path / "pid"
    before = _children()
    wait = start_task(lambda: marker.write_text(str(os.getpid()), encoding="ascii"))
    wait()
    assert int(marker.read_text(encoding="ascii")) != os.getpid()
    assert _children() == before
    wait()  # a second wait is harmless


def test_a_failing_task_ends_only_its_process() -> None:
    """The child's exception ends the child: nothing is raised here and it is reaped."""
    if cores() < 2:
        pytest.skip("one core: tasks run in process")

    def fail() -> None:
        raise OSError("disk full")

    before = _children()
    start_task(fail)()
    assert _children() == before


def test_a_task_runs_here_without_a_second_core_or_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(workers, "cores", lambda: 1)
    start_task(lambda: seen.append(os.getpid()))
    assert seen == [os.getpid()]

    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(os, "fork", no_fork)
    start_task(lambda: seen.append(os.getpid()))()
    assert seen == [os.getpid()] * 2
