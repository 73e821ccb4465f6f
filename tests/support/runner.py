"""Run documentation snippets against a generated SDK, each with its own loopback server.

Each snippet runs in its own process (PYTHONPATH = the generated SDK, `<PACKAGE>_SERVER_URL`
= a fresh recording server), in parallel worker threads: a child forked from a server process
that imported the SDK once (run_snippet.py --zygote), or else a new interpreter.
"""

from __future__ import annotations

import compileall
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .loopback import Loopback, Recorded, Reply
from .snippets import Snippet, runnable

DRIVER = Path(__file__).with_name("run_snippet.py")
# Files the documented usage reads from its working directory (Speakeasy: open("example.file", "rb")).
FIXTURE_FILES = {"example.file": b"example file content\n"}


@dataclass(frozen=True)
class Job:
    """One snippet to run: how the server answers and which `res` fields to report."""

    snippet: Snippet
    responder: Callable[[Recorded], Reply]
    fields: tuple[str, ...] = ()
    base_path: str = ""  # appended to the server URL, e.g. "/api" as in Airbyte's server
    plan: Any = None  # the caller's record of what the server answers (checked afterwards)


@dataclass
class Outcome:
    """How one snippet ended: the driver's report, the requests the server saw."""

    job: Job
    code: str
    timed_out: bool = False
    stderr: str = ""
    seconds: float = 0.0
    requests: list[Recorded] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def snippet(self) -> Snippet:
        """The snippet that ran."""
        return self.job.snippet

    @property
    def completed(self) -> bool:
        """The snippet ran to its end without an exception."""
        return bool(self.report.get("completed"))

    def failure(self) -> str:
        """A one-line reason when the snippet did not complete, else ""."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f}s ({len(self.requests)} requests seen)"
        if not self.report:
            return f"the driver wrote no report: {self.stderr.strip()[-300:]}"
        if not self.completed:
            last = self.report.get("message", "").strip().splitlines()[-1:] or [""]
            return f"{self.report.get('exception')}: {last[0][:300]}"
        return ""


def run_all(jobs: list[Job], *, out_dir: Path, env_var: str, package: str = "", timeout: float = 20.0,
            workers: int | None = None) -> list[Outcome]:
    """Run every job (in parallel) and return the outcomes in job order.

    With `package` (and os.fork), snippets run in children forked from one interpreter that
    imported the generated package once; otherwise each runs in a new interpreter.
    """
    # Compile the SDK once: each snippet interpreter then loads bytecode instead of compiling
    # the (large) generated modules again (they run with PYTHONDONTWRITEBYTECODE).
    compileall.compile_dir(str(out_dir), quiet=1, workers=0)
    workers = workers or max(2, (os.cpu_count() or 2) + 1)
    zygote = Zygote.start(out_dir, package) if package and hasattr(os, "fork") else None
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda job: run_one(job, out_dir=out_dir, env_var=env_var, timeout=timeout,
                                                     zygote=zygote), jobs))
    finally:
        if zygote:
            zygote.close()


def run_one(job: Job, *, out_dir: Path, env_var: str, timeout: float = 20.0,
            zygote: "Zygote | None" = None) -> Outcome:
    """Run one snippet in a fresh interpreter (or a fresh fork) against its own loopback server."""
    code = runnable(job.snippet.code)
    outcome = Outcome(job=job, code=code)
    with tempfile.TemporaryDirectory(prefix="snippet-") as work, Loopback(job.responder) as server:
        workdir = Path(work)
        for name, content in FIXTURE_FILES.items():
            (workdir / name).write_bytes(content)
        script = workdir / "snippet.py"
        script.write_text(code, encoding="utf-8")
        report_path = workdir / "report.json"
        env = {**os.environ, "PYTHONPATH": str(out_dir), env_var: server.url + job.base_path,
               "PYTHONDONTWRITEBYTECODE": "1"}
        start = time.monotonic()
        argv = [str(DRIVER), str(script), str(report_path), *job.fields]
        if zygote is not None:
            outcome.timed_out = zygote.run(argv, workdir, {env_var: env[env_var]}, timeout)
            errors = workdir / "stderr.txt"
            outcome.stderr = errors.read_text(errors="replace")[-4000:] if errors.exists() else ""
        else:
            outcome.timed_out, outcome.stderr = _subprocess(argv, workdir, env, timeout)
        outcome.seconds = time.monotonic() - start
        outcome.requests = list(server.requests)
        if report_path.exists():
            outcome.report = json.loads(report_path.read_text(encoding="utf-8"))
    return outcome


def _subprocess(argv: list[str], workdir: Path, env: dict[str, str], timeout: float) -> tuple[bool, str]:
    """Run the driver in a new interpreter: (timed out, stderr)."""
    try:
        done = subprocess.run([sys.executable, *argv], cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return True, err[-4000:]
    return False, done.stderr[-4000:]


class Zygote:
    """A fork server (run_snippet.py --zygote) that has imported the generated SDK once."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._lock = threading.Lock()
        self._waiting: dict[int, Future[dict[str, Any]]] = {}
        self._ids = itertools.count()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, out_dir: Path, package: str) -> "Zygote":
        """Start the server with OUT on its path and the package (every module) imported."""
        env = {**os.environ, "PYTHONPATH": str(out_dir), "PYTHONDONTWRITEBYTECODE": "1"}
        preload = [f"{package}.*", "httpx", "dateutil.parser", "decimal"]
        process = subprocess.Popen([sys.executable, str(DRIVER), "--zygote", *preload], env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return cls(process)

    def run(self, argv: list[str], workdir: Path, env: dict[str, str], timeout: float) -> bool:
        """Run the driver with `argv[1:]` in a forked child; True when it timed out."""
        future: Future[dict[str, Any]] = Future()
        with self._lock:
            job_id = next(self._ids)
            self._waiting[job_id] = future
            line = {"id": job_id, "argv": argv, "cwd": str(workdir), "env": env, "timeout": timeout}
            assert self._process.stdin is not None
            self._process.stdin.write((json.dumps(line) + "\n").encode())
            self._process.stdin.flush()
        return bool(future.result(timeout=timeout + 30)["timed_out"])

    def _read(self) -> None:
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            answer = json.loads(raw)
            with self._lock:
                future = self._waiting.pop(answer["id"])
            future.set_result(answer)

    def close(self) -> None:
        """Close its input; it exits once its children are done."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)
        self._reader.join(timeout=5)
