"""The generated client against a flaky server: real sockets on 127.0.0.1, sync and async.
Every fault must end in the documented behaviour (a decoded response, a retry) or in one of
the SDK's own error classes carrying the status and an excerpt of the body; never a bare
KeyError / TypeError / json.JSONDecodeError / httpx exception, and never a hang (every test
runs under a SIGALRM deadline, async calls also under asyncio.wait_for).

`DOCS2SDK_FAULT_TABLE=FILE` writes the behaviour seen per fault and mode as a markdown table;
`DOCS2SDK_SLOW_FAULTS=1` adds the 50 MB body of 2.4 million small objects (about 0.75 GB).
"""

from __future__ import annotations

import email.utils
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Iterator
import pytest
from fault_client import (BIG_BODIES, BIG_CLIENT, BOOK, GENRES, MB, MODES, TABLE, Hung, book_input, errors_of, fast,
                          forget, import_generated, outcome, sdk_error, write_table)
from fault_server import Fault, FaultServer, free_port, reply
from gen_helpers import INPUT_DOCS, generate_to, schema_for

TEST_LIMIT = 30.0  # seconds: SIGALRM fires past this, whatever the SDK is doing

@pytest.fixture(autouse=True)
def hard_timeout() -> Iterator[None]:
    """Fail (never hang) when a test runs past TEST_LIMIT seconds."""
    def fire(_signum: int, _frame: object) -> None:
        raise Hung(f"the test ran past {TEST_LIMIT} s: the client hangs")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, TEST_LIMIT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SDK of input_docs, generated into a temporary folder by the current generator."""
    out = tmp_path_factory.mktemp("faults-sdk")
    generate_to(out, schema_for(INPUT_DOCS))
    return out

@pytest.fixture(scope="module")
def sdk(sdk_dir: Path) -> Iterator[ModuleType]:
    """The `bookshelf` package, imported."""
    yield import_generated(sdk_dir, "bookshelf")
    forget(sdk_dir, "bookshelf")

@pytest.fixture(scope="module", autouse=True)
def fault_table() -> Iterator[None]:
    """Write the table of behaviours seen when DOCS2SDK_FAULT_TABLE names a file."""
    yield
    target = os.environ.get("DOCS2SDK_FAULT_TABLE")
    if target and TABLE:
        write_table(target)

@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh fault server."""
    with FaultServer() as running:
        yield running

# -- statuses and retries -----------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_5xx_then_success_is_retried(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                     mode: str) -> None:
    """500, 502, 503 then 200 on a GET the docs mark retryable: retried, decoded."""
    server.plan(reply(500, b'{"e":1}'), reply(502, b"<html>bad gateway</html>", "text/html"), reply(503),
                reply(200, GENRES))
    res, _error, _t = outcome(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert [g.name for g in res.genres] == ["Mystery", "Noir"] and len(server.requests) == 4

@pytest.mark.parametrize("mode", MODES)
def test_default_policy_retries_documented_get(request: pytest.FixtureRequest, sdk: ModuleType,
                                               server: FaultServer, mode: str) -> None:
    """No retries= at all: the configured default policy (backoff on 5XX) covers the documented GET."""
    server.plan(reply(503), reply(200, GENRES))
    res, _error, elapsed = outcome(request, sdk, mode, server.url, "books", "list_genres")
    assert len(res.genres) == 2 and len(server.requests) == 2 and elapsed < 5

@pytest.mark.parametrize("mode", MODES)
def test_5xx_until_the_budget_is_spent(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                       mode: str) -> None:
    """503 forever: retried within max_elapsed_time, then SDKError with the status and the body."""
    server.plan(reply(503, b'{"detail":"down for maintenance"}'))
    error, elapsed = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk, budget=200))
    assert error.status_code == 503 and "maintenance" in error.body and len(server.requests) > 1
    assert elapsed < 3

@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_honoured(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                 mode: str) -> None:
    """429 with Retry-After: 1 and a policy allowing 5 s waits: the retry comes about 1 s later."""
    server.plan(reply(429, b"{}", retry_after="1"), reply(200, GENRES))
    res, _error, _t = outcome(request, sdk, mode, server.url, "books", "list_genres",
                              retries=fast(sdk, max_interval=5000, budget=10000))
    gap = server.requests[1].at - server.requests[0].at
    assert len(res.genres) == 2 and 0.9 <= gap < 3, gap

def _http_date_in(seconds: float) -> str:
    return email.utils.formatdate(time.time() + seconds, usegmt=True)

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["3600", "http-date+1h", "inf", "1e309", "nan", "-5", "soon", ""])
def test_retry_after_is_capped(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer, mode: str,
                               value: str) -> None:
    """A Retry-After of an hour (or nonsense) never waits past the policy's max_interval (5 ms here)."""
    header = _http_date_in(3600) if value == "http-date+1h" else value
    server.plan(reply(429, b"{}", retry_after=header), reply(200, GENRES))
    res, _error, elapsed = outcome(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert len(res.genres) == 2 and len(server.requests) == 2 and elapsed < 2

@pytest.mark.parametrize("mode", MODES)
def test_post_is_not_retried_by_default(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                        mode: str) -> None:
    """POST create_book getting 503: the default policy does not cover it (one request)."""
    server.plan(reply(503, b'{"detail":"busy"}'), reply(201, json.dumps(BOOK).encode()))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "create_book", book_input(sdk))
    assert error.status_code == 503 and len(server.requests) == 1

@pytest.mark.parametrize("mode", MODES)
def test_post_is_retried_with_per_call_retries(request: pytest.FixtureRequest, sdk: ModuleType,
                                               server: FaultServer, mode: str) -> None:
    """A per-call retries= always applies, even to POST: 503 then 201 gives the created book."""
    server.plan(reply(503), reply(201, json.dumps(BOOK).encode()))
    res, _error, _t = outcome(request, sdk, mode, server.url, "books", "create_book", book_input(sdk),
                              retries=fast(sdk))
    assert res.status_code == 201 and res.book.id == "bk_1" and len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body and server.requests[1].method == "POST"

@pytest.fixture(scope="module")
def sdk_retry_all(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """input_docs with `retry_non_idempotent = true` (package bookshelf_rni), generated and imported."""
    docs = tmp_path_factory.mktemp("docs-rni") / "input_docs"
    shutil.copytree(INPUT_DOCS, docs)
    config = docs / "docs2sdk.toml"
    text = config.read_text(encoding="utf-8").replace('package = "bookshelf"', 'package = "bookshelf_rni"')
    config.write_text("retry_non_idempotent = true\n" + text, encoding="utf-8")
    schema = schema_for(docs)
    if not schema.api.retries.retry_non_idempotent:
        pytest.skip("retry_non_idempotent does not reach the IR")
    out = tmp_path_factory.mktemp("faults-sdk-rni")
    generate_to(out, schema)
    yield import_generated(out, "bookshelf_rni")
    forget(out, "bookshelf_rni")

@pytest.mark.parametrize("mode", MODES)
def test_post_is_retried_when_configured(request: pytest.FixtureRequest, sdk_retry_all: ModuleType,
                                         server: FaultServer, mode: str) -> None:
    """With retry_non_idempotent = true the default policy covers POST too (no retries= passed)."""
    server.plan(reply(503), reply(201, json.dumps(BOOK).encode()))
    res, _error, elapsed = outcome(request, sdk_retry_all, mode, server.url, "books", "create_book",
                                   book_input(sdk_retry_all))
    assert res.status_code == 201 and len(server.requests) == 2 and elapsed < 5

# -- time ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_answer_slower_than_the_timeout(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                        mode: str) -> None:
    """No status line within timeout=0.2: APITimeoutError, promptly."""
    server.plan(reply(200, GENRES, delay=5))
    error, elapsed = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk),
                               timeout=0.2)
    assert isinstance(error, errors_of(sdk).APITimeoutError) and elapsed < 2

@pytest.mark.parametrize("mode", MODES)
def test_body_stalls_after_the_headers(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                       mode: str) -> None:
    """Headers and a few bytes, then silence: APITimeoutError with the status and what arrived."""
    server.plan(Fault("stall", body=GENRES, send_first=12))
    error, elapsed = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk),
                               timeout=0.2)
    assert isinstance(error, errors_of(sdk).APITimeoutError) and elapsed < 2
    assert error.status_code == 200 and error.body == GENRES[:12].decode()

@pytest.mark.parametrize("mode", MODES)
def test_body_trickles_in(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer, mode: str) -> None:
    """One byte every 50 ms (each read is quick, the whole body would take 10 s): the timeout still holds."""
    server.plan(Fault("trickle", body=b"[" + b" " * 200 + b"]", delay=0.05))
    error, elapsed = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk),
                               timeout=0.3)
    assert isinstance(error, errors_of(sdk).APITimeoutError) and error.status_code == 200 and elapsed < 2

@pytest.mark.parametrize("mode", MODES)
def test_headers_trickle_in(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer, mode: str) -> None:
    """The status line and headers one byte every 50 ms (about 5 s in all): the timeout bounds the wait
    for them too, not only each read."""
    server.plan(Fault("trickle-head", body=GENRES, delay=0.05))
    error, elapsed = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk),
                               timeout=0.3)
    assert isinstance(error, errors_of(sdk).APITimeoutError) and elapsed < 2, (error, elapsed)

# -- connections --------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("connection_errors", [False, True], ids=["no-retry", "retry-connection-errors"])
def test_connection_refused(request: pytest.FixtureRequest, sdk: ModuleType, mode: str,
                            connection_errors: bool) -> None:
    """Nothing listens on the port: APIConnectionError (after the retry budget when those retry)."""
    url = f"http://127.0.0.1:{free_port()}"
    error, elapsed = sdk_error(request, sdk, mode, url, "books", "list_genres",
                               retries=fast(sdk, connection_errors=connection_errors, budget=200))
    assert isinstance(error, errors_of(sdk).APIConnectionError) and error.status_code == 0 and elapsed < 3

@pytest.mark.parametrize("mode", MODES)
def test_connection_reset_before_answering(request: pytest.FixtureRequest, sdk: ModuleType,
                                           server: FaultServer, mode: str) -> None:
    server.plan(Fault("reset"))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert isinstance(error, errors_of(sdk).APIConnectionError) and len(server.requests) == 1

@pytest.mark.parametrize("mode", MODES)
def test_connection_reset_mid_body(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                   mode: str) -> None:
    """RST after part of the body: APIConnectionError carrying the status and the bytes that arrived."""
    server.plan(Fault("reset", body=GENRES, send_first=10))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert isinstance(error, errors_of(sdk).APIConnectionError)
    assert error.status_code == 200 and error.body == GENRES[:10].decode()

@pytest.mark.parametrize("mode", MODES)
def test_connection_closed_without_answer(request: pytest.FixtureRequest, sdk: ModuleType,
                                          server: FaultServer, mode: str) -> None:
    server.plan(Fault("silent"))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert isinstance(error, errors_of(sdk).APIConnectionError)

@pytest.mark.parametrize("mode", MODES)
def test_connection_error_retried_then_success(request: pytest.FixtureRequest, sdk: ModuleType,
                                               server: FaultServer, mode: str) -> None:
    """A dropped connection is retried when retry_connection_errors is on (the documented default)."""
    server.plan(Fault("silent"), reply(200, GENRES))
    res, _error, _t = outcome(request, sdk, mode, server.url, "books", "list_genres",
                              retries=fast(sdk, connection_errors=True))
    assert len(res.genres) == 2 and len(server.requests) == 2

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("raw", [b"HTTP/1.1 abc\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                                 b"\x00\x01garbage\r\n\r\n"], ids=["status-line", "content-length", "binary"])
def test_malformed_response_head(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                 mode: str, raw: bytes) -> None:
    server.plan(Fault("raw", body=raw))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert isinstance(error, errors_of(sdk).APIConnectionError)

# -- bodies -------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_body_shorter_than_its_content_length(request: pytest.FixtureRequest, sdk: ModuleType,
                                              server: FaultServer, mode: str) -> None:
    """Content-Length promised, connection closed half way: the status and the half that came."""
    server.plan(Fault("truncate", body=GENRES, send_first=20))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert isinstance(error, errors_of(sdk).APIConnectionError)
    assert error.status_code == 200 and error.body == GENRES[:20].decode()

@pytest.mark.parametrize("mode", MODES)
def test_close_delimited_body_cut_short(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                        mode: str) -> None:
    """No Content-Length, closed mid-JSON (the client cannot tell): SDKError 'not valid JSON'."""
    server.plan(Fault("eof", body=GENRES[:20]))
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk))
    assert "not valid JSON" in error.message and error.status_code == 200 and error.body == GENRES[:20].decode()

BAD_BODIES = {
    "invalid-json": (reply(200, b'{"id": "g1", name}'), "not valid JSON"),
    "html-for-json": (reply(200, b"<html><body>Welcome</body></html>", "text/html"), "content type"),
    "empty-200": (reply(200, b""), "empty"),
    "wrong-shape": (reply(200, b'{"not": "a list"}'), "does not match"),
    "nested-100k": (reply(200, b"[" * 100_000 + b"]" * 100_000), "not valid JSON"),
    "invalid-utf8": (reply(200, b'[{"id":"\xff\xfe","name":"n"}]'), "not valid JSON"),
    "huge-integer": (reply(200, b'[{"id":' + b"9" * 5000 + b',"name":"n"}]'), "not valid JSON"),
    "bad-gzip": (reply(200, b"not gzip at all", content_encoding="gzip"), "cannot be decoded"),
    "html-500": (reply(500, b"<h1>Internal Server Error</h1>", "text/html"), "HTTP 500"),
    "status-600": (reply(600, b"{}"), "HTTP 600"),
    "redirect-302": (reply(302, b"", None, location="/elsewhere"), "HTTP 302"),
}

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_body_that_does_not_decode(request: pytest.FixtureRequest, sdk: ModuleType, server: FaultServer,
                                   mode: str, case: str) -> None:
    """SDKError with the status and an excerpt of the body; never the JSON or httpx exception."""
    fault, message = BAD_BODIES[case]
    server.plan(fault)
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "list_genres", retries=fast(sdk, budget=200))
    assert message in str(error) and error.status_code == fault.status
    assert error.body == fault.body[:500].decode("utf-8", "replace")[:500] + ("..." if len(fault.body) > 500 else "")

DOCUMENTED_ERROR_BODIES = {
    "html": reply(404, b"<html>not here</html>", "text/html"),
    "list": reply(404, b"[]"),
    "empty": reply(404, b""),
    "invalid-json": reply(404, b"{nope"),
    "nested-100k": reply(404, b"[" * 100_000 + b"]" * 100_000),
}

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(DOCUMENTED_ERROR_BODIES))
def test_documented_error_status_with_a_bad_body(request: pytest.FixtureRequest, sdk: ModuleType,
                                                 server: FaultServer, mode: str, case: str) -> None:
    """404 is documented as NotFoundError (JSON); a body that is not one gives SDKError 404."""
    server.plan(DOCUMENTED_ERROR_BODIES[case])
    error, _t = sdk_error(request, sdk, mode, server.url, "books", "get_book", "bk_1", retries=fast(sdk))
    assert type(error) is errors_of(sdk).SDKError and error.status_code == 404


# -- a 50 MB body -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(BIG_BODIES))
def test_50mb_body(request: pytest.FixtureRequest, sdk_dir: Path, server: FaultServer, mode: str,
                   case: str) -> None:
    """A 50 MB body streamed in: decoded, or a clean SDKError; no hang, memory within bounds (own process)."""
    if case == "50MB-of-small-objects" and not os.environ.get("DOCS2SDK_SLOW_FAULTS"):
        pytest.skip("set DOCS2SDK_SLOW_FAULTS=1: 2.4 million objects take seconds and about 0.75 GB")
    make, peak_allowed = BIG_BODIES[case]
    server.plan(make(50 * MB))
    done = subprocess.run([sys.executable, "-c", BIG_CLIENT, server.url, mode], cwd=sdk_dir, capture_output=True,
                          text=True, timeout=TEST_LIMIT - 5, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    TABLE.setdefault(f"test_50mb_body[{case}]", {})[mode] = (
        (f"ok, decoded {seen['count']} item(s)" if seen["ok"] else f"{seen['type']} status={seen['status']}")
        + f" ({seen['seconds']:.2f} s, peak RSS {seen['peak_mb']:.0f} MB)")
    if case == "50MB-not-json":
        assert not seen["ok"] and seen["module"].startswith("bookshelf") and seen["type"] == "SDKError"
        assert seen["status"] == 200 and seen["body"] == "<" * 40
    else:
        assert seen["ok"], seen
    assert seen["peak_mb"] < peak_allowed, seen
