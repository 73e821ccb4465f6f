"""A misbehaving HTTP/1.1 server on real 127.0.0.1 sockets, for the client fault tests.

Unlike `gen_helpers.Server` (http.server, always well-formed), this one writes the wire by hand
so it can answer a scripted sequence of faults: statuses, delays, connection resets (SO_LINGER 0),
bodies cut short, close-delimited bodies, bodies that stall or trickle, huge streamed bodies, raw
bytes. Requests are read on a keep-alive loop and recorded; every wait is interruptible, so
leaving the `with` block never blocks on a sleeping handler.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

STATUS_TEXT = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found", 422: "Unprocessable Entity",
               429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
               503: "Service Unavailable"}


@dataclass(frozen=True)
class Fault:
    """One scripted answer. `kind` says what happens on the wire:

    reply     status line, headers, Content-Length and the whole body (keep-alive)
    reset     RST instead of an answer (SO_LINGER 0, then close); after `send_first` bytes of a reply
    truncate  Content-Length of the whole body, only `send_first` bytes of it, then close
    eof       a close-delimited body (no Content-Length, Connection: close), then close
    silent    close without answering (the client sees EOF)
    stall     headers and `send_first` bytes of the body, then no more bytes until shutdown
    trickle   the body one byte every `delay` seconds (each read is quick, the whole is slow)
    trickle-head  the status line and headers one byte every `delay` seconds, then the body
    stream    a body of `size` bytes produced by `chunks` (Content-Length set), sent as it is made
    raw       `body` verbatim, then close (malformed status lines and headers)
    """

    kind: str = "reply"
    status: int = 200
    body: bytes = b""
    content_type: Optional[str] = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    send_first: int = 0
    size: int = 0
    chunks: Optional[Callable[[], Iterator[bytes]]] = None


def reply(status: int = 200, body: bytes = b"", content_type: Optional[str] = "application/json",
          delay: float = 0.0, **headers: str) -> Fault:
    """A well-formed answer (header names: `retry_after` -> `retry-after`)."""
    return Fault("reply", status, body, content_type, tuple((k.replace("_", "-"), v) for k, v in headers.items()),
                 delay=delay)


@dataclass(frozen=True)
class Seen:
    """A request as it arrived: method, target, lower-cased headers, body, monotonic time."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class FaultServer:
    """A threaded server on 127.0.0.1:0 answering `script` in order (the last fault repeats)."""

    script: list[Fault] = field(default_factory=list)
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.02)  # accept() polls the stop flag: close() does not wake it on Linux
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "FaultServer":
        self._acceptor.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._acceptor.join(5)
        _quiet(self._listener.close)
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _quiet(lambda c=conn: c.shutdown(socket.SHUT_RDWR))
            _quiet(conn.close)
        for thread in self._threads:
            thread.join(5)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def plan(self, *faults: Fault) -> None:
        """Answer these faults, one per request, in order; the last one repeats."""
        with self._lock:
            self.script = list(faults)

    def _next(self) -> Fault:
        with self._lock:
            if not self.script:
                return reply(404, b'{"code":"none","message":"nothing planned"}')
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        """Keep-alive loop: read a request, answer its fault; stop when a fault ends the connection."""
        buffer = b""
        try:
            while not self._stop.is_set():
                request, buffer = _read_request(conn, buffer)
                if request is None:
                    return
                self.requests.append(request)
                if not self._answer(conn, self._next()):
                    return
        except OSError:
            return
        finally:
            _quiet(conn.close)

    def _sleep(self, seconds: float) -> bool:
        """Wait, unless the server is shutting down (then False)."""
        return not self._stop.wait(seconds)

    def _answer(self, conn: socket.socket, fault: Fault) -> bool:
        """Perform one fault; True when the connection stays open for the next request."""
        if fault.delay and not fault.kind.startswith("trickle") and not self._sleep(fault.delay):
            return False
        if fault.kind == "reset":
            if fault.send_first:
                conn.sendall(_head(fault, len(fault.body)) + fault.body[: fault.send_first])
            _reset(conn)
            return False
        if fault.kind == "silent":
            return False
        if fault.kind == "raw":
            conn.sendall(fault.body)
            return False
        if fault.kind == "truncate":
            conn.sendall(_head(fault, len(fault.body)) + fault.body[: fault.send_first])
            return False
        if fault.kind == "eof":
            conn.sendall(_head(fault, None) + fault.body)
            return False
        if fault.kind == "stall":
            conn.sendall(_head(fault, len(fault.body)) + fault.body[: fault.send_first])
            self._stop.wait()
            return False
        if fault.kind == "trickle":
            return self._trickle(conn, fault)
        if fault.kind == "trickle-head":
            head = _head(fault, len(fault.body))
            for index in range(len(head)):
                if not self._sleep(fault.delay):
                    return False
                conn.sendall(head[index:index + 1])
            conn.sendall(fault.body)
            return True
        if fault.kind == "stream":
            return self._stream(conn, fault)
        conn.sendall(_head(fault, len(fault.body)) + fault.body)
        return True

    def _trickle(self, conn: socket.socket, fault: Fault) -> bool:
        conn.sendall(_head(fault, len(fault.body)))
        for index in range(len(fault.body)):
            if not self._sleep(fault.delay):
                return False
            conn.sendall(fault.body[index:index + 1])
        return True

    def _stream(self, conn: socket.socket, fault: Fault) -> bool:
        assert fault.chunks is not None
        conn.sendall(_head(fault, fault.size))
        sent = 0
        for chunk in fault.chunks():
            if self._stop.is_set():
                return False
            conn.sendall(chunk)
            sent += len(chunk)
        assert sent == fault.size, f"stream produced {sent} bytes, declared {fault.size}"
        return True


def _head(fault: Fault, length: Optional[int]) -> bytes:
    """Status line and headers; no Content-Length (and Connection: close) when `length` is None."""
    lines = [f"HTTP/1.1 {fault.status} {STATUS_TEXT.get(fault.status, 'Status')}"]
    if fault.content_type is not None:
        lines.append(f"Content-Type: {fault.content_type}")
    lines += [f"{k}: {v}" for k, v in fault.headers]
    lines.append("Connection: close" if length is None else f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[Optional[Seen], bytes]:
    """One request (headers and a Content-Length body); None at EOF."""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None, b""
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    first, *lines = head.decode("latin-1").split("\r\n")
    method, target, _version = first.split(" ", 2)
    headers = {}
    for line in lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None, b""
        rest += data
    return Seen(method, target, headers, rest[:length], time.monotonic()), rest[length:]


def _reset(conn: socket.socket) -> None:
    """Close with RST: SO_LINGER on with a zero timeout discards unsent data and resets."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _quiet(action: Callable[[], object]) -> None:
    try:
        action()
    except OSError:
        pass


def free_port() -> int:
    """A port with nothing listening on it (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
