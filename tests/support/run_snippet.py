"""Run one documentation snippet as `__main__`, then report how it ended and what `res` holds.

Executed in a fresh interpreter by tests/support/runner.py:

    python run_snippet.py SNIPPET.py REPORT.json FIELD [FIELD...]

or as a fork server, which imports the generated SDK once and forks one child per snippet
(each child is a fresh copy of that interpreter, so snippets cannot affect one another):

    python run_snippet.py --zygote MODULE [PACKAGE.*...]   # jobs: JSON lines on stdin

The snippet runs unchanged (runpy.run_path); afterwards each named field of the snippet's
global `res` is re-encoded (`to_dict()` for models) into the JSON report, so tests can
compare what the SDK decoded with what the server sent.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import enum
import importlib
import json
import os
import pkgutil
import runpy
import selectors
import signal
import sys
import time
import traceback
from typing import Any


def encode(value: Any) -> Any:
    """A JSON-ready form of a decoded value: models through their own to_dict()."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"$repr": repr(value)[:500], "$type": type(value).__qualname__}


def _field(res: Any, name: str) -> dict[str, Any]:
    if not hasattr(res, name):
        return {"absent": True}
    value = getattr(res, name)
    try:
        return {"type": type(value).__qualname__, "value": encode(value)}
    except Exception as exc:  # noqa: BLE001 - a failing to_dict() is a finding to report
        return {"type": type(value).__qualname__, "encode_error": f"{type(exc).__name__}: {exc}"}


def main(argv: list[str]) -> int:
    """Run the snippet; always write the report."""
    snippet, report_path, fields = argv[1], argv[2], argv[3:]
    # As `python SNIPPET.py` would: the snippet's folder first on sys.path, not this helper's
    # (whose neighbours, e.g. support/airbyte.py, would shadow the generated package).
    sys.path[0] = os.path.dirname(os.path.abspath(snippet))
    sys.argv = [snippet]
    report: dict[str, Any] = {"completed": False}
    try:
        namespace = runpy.run_path(snippet, run_name="__main__")
        report["completed"] = True
        res = namespace.get("res")
        report["res_type"] = type(res).__qualname__
        report["status_code"] = getattr(res, "status_code", None)
        report["fields"] = {name: _field(res, name) for name in fields}
    except BaseException as exc:  # noqa: BLE001 - SystemExit and all: the snippet's outcome
        report["exception"] = f"{type(exc).__module__}.{type(exc).__qualname__}"
        report["message"] = str(exc)[:3000]
        report["traceback"] = traceback.format_exc()[-6000:]
    with open(report_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, default=repr)
    return 0 if report["completed"] else 1


# -- fork server ------------------------------------------------------------------------------

def zygote(preload: list[str]) -> int:
    """Import `preload`, then fork a child per job read from stdin; report each exit on stdout.

    A job is {"id", "argv", "cwd", "env", "timeout"}; the answer {"id", "status", "timed_out"}.
    A child past its timeout is killed (SIGKILL) by this process, which started it.
    """
    for name in preload:
        try:
            module = importlib.import_module(name.removesuffix(".*"))
            if name.endswith(".*"):  # the package and every module under it
                for info in pkgutil.walk_packages(module.__path__, module.__name__ + "."):
                    importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - the children will meet (and report) the same error
            pass
    children: dict[int, tuple[Any, float]] = {}
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    pending, open_input = b"", True
    while open_input or children:
        if open_input and selector.select(timeout=0.01):
            chunk = os.read(0, 1 << 16)
            open_input = bool(chunk)
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                job = json.loads(line)
                children[_fork(job)] = (job["id"], time.monotonic() + job["timeout"])
        elif not open_input:
            time.sleep(0.01)
        _reap(children)
    return 0


def _fork(job: dict[str, Any]) -> int:
    """Start one child running `main(job["argv"])` in job["cwd"] with job["env"] set."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.chdir(job["cwd"])
        os.environ.update(job["env"])
        for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
            target = os.open(os.path.join(job["cwd"], name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(target, fd)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - the child never returns
        sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8", closefd=False)
        sys.stderr = os.fdopen(2, "w", buffering=1, encoding="utf-8", closefd=False)
        code = main(job["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _reap(children: dict[int, tuple[Any, float]]) -> None:
    """Answer for every finished child; kill children past their deadline."""
    now = time.monotonic()
    for pid, (job_id, deadline) in list(children.items()):
        timed_out = now > deadline
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        done, status = os.waitpid(pid, 0 if timed_out else os.WNOHANG)
        if done:
            del children[pid]
            answer = {"id": job_id, "status": os.waitstatus_to_exitcode(status), "timed_out": timed_out}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--zygote"]:
        # This helper's folder would shadow the generated package; each child puts its
        # snippet's folder in this slot (see main).
        sys.path[0] = os.path.join(os.sep, "snippet-folder-placeholder")
        sys.exit(zygote(sys.argv[2:]))
    sys.exit(main(sys.argv))
