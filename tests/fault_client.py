"""Helpers of the client fault tests: calling the generated SDK sync or async, classifying
what came back, recording the behaviour table, and the 50 MB bodies."""

from __future__ import annotations

import asyncio
import decimal
import importlib
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest

from fault_server import Fault

MODES = ("sync", "async")
CALL_LIMIT = 20.0  # seconds: asyncio.wait_for around every async call
GENRES = b'[{"id":"g1","name":"Mystery"},{"id":"g2","name":"Noir"}]'
BOOK = {
    "id": "bk_1", "title": "The Lighthouse", "authors": [{"name": "Maren"}], "ISBN13": "9780000000002",
    "bookFormat": "paperback", "location": {"floor": 2, "aisle": "F-12", "shelf": 3}, "replacementCost": 27.5,
    "copiesTotal": 3, "copiesAvailable": 1, "referenceOnly": False, "addedAt": "2024-01-05T10:00:00Z",
}
MB = 1024 * 1024
TABLE: dict[str, dict[str, str]] = {}


class Hung(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` in the SDK can swallow it."""


def import_generated(out: Path, package: str) -> ModuleType:
    """Import a generated package from `out` (put first on sys.path)."""
    sys.path.insert(0, str(out))
    return importlib.import_module(package)


def forget(out: Path, package: str) -> None:
    """Undo `import_generated`: sys.path and every module of the package."""
    sys.path.remove(str(out))
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def utils_of(sdk: ModuleType) -> Any:
    """The `utils` module of a generated package."""
    return importlib.import_module(f"{sdk.__name__}.utils")


def errors_of(sdk: ModuleType) -> Any:
    """The `models.errors` module of a generated package."""
    return importlib.import_module(f"{sdk.__name__}.models.errors")


def fast(sdk: ModuleType, connection_errors: bool = False, max_interval: int = 5, budget: int = 2000) -> Any:
    """A per-call policy with millisecond waits (the documented default waits 0.5 s and up).

    The budget (max_elapsed_time) also pays for the first connection and for creating the httpx
    client; 2 s keeps a loaded machine from spending it before the success the test expects."""
    utils = utils_of(sdk)
    return utils.RetryConfig("backoff", utils.BackoffStrategy(1, max_interval, 1.1, budget), connection_errors)


def call(sdk: ModuleType, mode: str, url: str, group: str, op: str, *args: Any, **kwargs: Any) -> Any:
    """Call `s.<group>.<op>` (sync) or `<op>_async` (async, bounded by CALL_LIMIT) on a fresh client."""
    if mode == "sync":
        with sdk.Bookshelf(server_url=url) as client:
            return getattr(getattr(client, group), op)(*args, **kwargs)

    async def run() -> Any:
        async with sdk.Bookshelf(server_url=url) as client:
            return await getattr(getattr(client, group), op + "_async")(*args, **kwargs)

    return asyncio.run(asyncio.wait_for(run(), CALL_LIMIT))


def note(request: pytest.FixtureRequest, mode: str, text: str) -> None:
    """Record what a fault led to, for the DOCS2SDK_FAULT_TABLE report."""
    parts = request.node.callspec.id.split("-") if hasattr(request.node, "callspec") else []
    if mode in parts:
        parts.reverse()
        parts.remove(mode)
        parts.reverse()
    name = request.node.originalname + (f"[{'-'.join(parts)}]" if parts else "")
    TABLE.setdefault(name, {})[mode] = text


def outcome(request: pytest.FixtureRequest, sdk: ModuleType, mode: str, server_url: str, group: str, op: str,
            *args: Any, **kwargs: Any) -> tuple[Any, BaseException | None, float]:
    """(result, exception, seconds) of one call; the exception, when any, must be the SDK's own."""
    started = time.monotonic()
    try:
        result, error = call(sdk, mode, server_url, group, op, *args, **kwargs), None
    except Exception as exc:  # noqa: BLE001 - classified below; Hung (BaseException) goes through
        result, error = None, exc
    elapsed = time.monotonic() - started
    if error is None:
        note(request, mode, f"ok, HTTP {result.status_code} ({elapsed:.2f} s)")
        return result, None, elapsed
    where = type(error).__module__
    note(request, mode, f"{type(error).__name__} status={getattr(error, 'status_code', '-')} ({elapsed:.2f} s)")
    assert where.startswith(sdk.__name__), f"a foreign exception escaped: {where}.{type(error).__name__}: {error}"
    assert isinstance(error, errors_of(sdk).SDKError) or isinstance(error, errors_of(sdk).APIError), error
    return None, error, elapsed


def sdk_error(request: pytest.FixtureRequest, sdk: ModuleType, mode: str, server_url: str, group: str, op: str,
              *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """The SDK error a call raised (failing when it succeeded), and the seconds it took."""
    result, error, elapsed = outcome(request, sdk, mode, server_url, group, op, *args, **kwargs)
    assert error is not None, f"expected an SDK error, got {result!r}"
    return error, elapsed


def book_input(sdk: ModuleType) -> Any:
    """A valid BookInput for create_book."""
    shared = importlib.import_module(f"{sdk.__name__}.models.shared")
    return shared.BookInput(title="T", authors=[shared.Author(name="A")], isbn_13="9780000000002",
                            book_format=shared.BookFormat.PAPERBACK,
                            location=shared.ShelfPosition(floor=1, aisle="A", shelf=2),
                            replacement_cost=decimal.Decimal("12.5"), copies_total=1)


BIG_CLIENT = """
import asyncio, json, resource, sys, time
import bookshelf
from bookshelf import utils
url, mode = sys.argv[1], sys.argv[2]
retries = utils.RetryConfig("none")
started = time.monotonic()
async def run_async():
    async with bookshelf.Bookshelf(server_url=url) as s:
        return await s.books.list_genres_async(retries=retries, timeout=30)
try:
    if mode == "sync":
        with bookshelf.Bookshelf(server_url=url) as s:
            res = s.books.list_genres(retries=retries, timeout=30)
    else:
        res = asyncio.run(run_async())
    seen = {"ok": True, "count": len(res.genres), "longest": max(len(g.name) for g in res.genres)}
except Exception as exc:
    seen = {"ok": False, "module": type(exc).__module__, "type": type(exc).__name__,
            "status": getattr(exc, "status_code", None), "body": getattr(exc, "body", "")[:40]}
seen["seconds"] = time.monotonic() - started
seen["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(seen))
"""


def one_big_string(size: int) -> Fault:
    """`[{"id":"g","name":"xxxx…"}]`, `size` bytes in all, produced in 64 KiB chunks."""
    head, tail = b'[{"id":"g","name":"', b'"}]'
    filler = size - len(head) - len(tail)

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(filler // 65536):
            yield b"x" * 65536
        yield b"x" * (filler % 65536)
        yield tail

    return Fault("stream", size=size, chunks=chunks)


def many_objects(size: int) -> Fault:
    """A JSON list of about `size` bytes of small genre objects."""
    item = b'{"id":"g","name":"n"},'
    count = (size - 2) // len(item)

    def chunks() -> Iterator[bytes]:
        yield b"["
        left = count
        while left > 4096:
            yield item * 4096
            left -= 4096
        yield item * (left - 1) + item[:-1]
        yield b"]"

    return Fault("stream", size=2 + count * len(item) - 1, chunks=chunks)


def garbage(size: int) -> Fault:
    """`size` bytes (rounded down to 64 KiB) of `<`: not JSON at all."""
    def chunks() -> Iterator[bytes]:
        for _ in range(size // 65536):
            yield b"<" * 65536

    return Fault("stream", size=size // 65536 * 65536, chunks=chunks)


BIG_BODIES: dict[str, tuple[Callable[[int], Fault], float]] = {  # body, peak RSS allowed (MB)
    "one-50MB-string": (one_big_string, 450),
    "50MB-not-json": (garbage, 450),
    "50MB-of-small-objects": (many_objects, 1500),
}


@pytest.mark.parametrize("mode", MODES)


def write_table(target: str) -> None:
    """The behaviours recorded by `note`, as a markdown table (fault -> sync / async)."""
    lines = ["| fault | sync | async |", "|---|---|---|"]
    lines += [f"| {case} | {seen.get('sync', '')} | {seen.get('async', '')} |" for case, seen in TABLE.items()]
    Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
