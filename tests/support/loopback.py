"""A real HTTP server on 127.0.0.1 that records every request and answers a planned response."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    """What the server answers: status, content type and body bytes."""

    status: int = 200
    content_type: str = "application/json"
    body: bytes = b"{}"


Responder = Callable[[Recorded], Reply]


@dataclass
class Loopback:
    """A ThreadingHTTPServer on an ephemeral port; use as a context manager."""

    responder: Responder = field(default=lambda _request: Reply())
    requests: list[Recorded] = field(default_factory=list)

    def __enter__(self) -> "Loopback":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for the serve loop to notice (default 0.5 s).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT` (no trailing slash)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"


def _handler(owner: Loopback) -> type[BaseHTTPRequestHandler]:
    """A handler class bound to `owner` (http.server instantiates one per request)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = _read_chunked(self.rfile)
            parts = urlsplit(self.path)
            request = Recorded(method=self.command, path=parts.path, raw_query=parts.query,
                               query=parse_qs(parts.query, keep_blank_values=True),
                               headers={k.lower(): v for k, v in self.headers.items()}, body=body)
            owner.requests.append(request)
            reply = owner.responder(request)
            self.send_response(reply.status)
            if reply.content_type and reply.status not in (204, 304):
                self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.body and self.command != "HEAD":
                self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, *_args: object) -> None:
            """Silence the per-request log line on stderr."""

    return Handler


def _read_chunked(stream) -> bytes:  # type: ignore[no-untyped-def]
    """Read a chunked request body (httpx streams some bodies this way)."""
    out = bytearray()
    while True:
        size = int(stream.readline().split(b";")[0].strip() or b"0", 16)
        if size == 0:
            stream.readline()
            return bytes(out)
        out += stream.read(size)
        stream.readline()
