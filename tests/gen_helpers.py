"""Helpers of the generator tests: generate SDKs in process, and a scripted loopback HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import parse_qs, urlsplit

from generator import ir
from generator.config import Config, find_config, load_file
from generator.generate import Generated, generate
from generator.pipeline import build_schema
from generator.write import write_tree

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
INPUT_DOCS = ROOT / "input_docs"
AIRBYTE_CONFIG = ROOT / "tests" / "corpora" / "airbyte.toml"


def schema_for(docs: Path, config: Optional[Path] = None) -> ir.Schema:
    """The IR of a docs tree with its configuration (explicit, or the docs2sdk.toml beside it)."""
    found = load_file(config) if config else find_config([str(docs)], None) if docs.is_dir() else Config()
    return build_schema([str(docs)], found)


def generate_to(out: Path, schema: ir.Schema) -> Generated:
    """Generate the SDK of `schema` into `out` (atomic write, manifest)."""
    result = generate(schema)
    write_tree(out, result.files, generator="docs2sdk tests", force=True)
    return result


def run_python(code: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter with `cwd` first on sys.path (generated packages collide)."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False, env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"})


def run_mypy(out: Path, package: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """`mypy --strict <package>` over a generated tree."""
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package], cwd=out,
                          capture_output=True, text=True, timeout=timeout, check=False)


@dataclass
class Answer:
    """One planned reply: status, content type, body, extra headers, delay before answering."""

    status: int = 200
    body: Union[bytes, Any] = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        """The body bytes (JSON-encoded when it is not bytes already)."""
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()


@dataclass(frozen=True)
class Seen:
    """A request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class Server:
    """A ThreadingHTTPServer on 127.0.0.1:0 answering scripted replies per (METHOD, path)."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.script: dict[tuple[str, str], list[Answer]] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "Server":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def plan(self, method: str, path: str, *answers: Answer) -> None:
        """Answer these in order (the last one repeats) to METHOD path."""
        self.script[(method, path)] = list(answers)

    def next_answer(self, method: str, path: str) -> Answer:
        """The scripted answer for a request (404 when none is planned)."""
        queue = self.script.get((method, path))
        if not queue:
            return Answer(404, {"code": "not_found", "message": f"no route {method} {path}"})
        return queue.pop(0) if len(queue) > 1 else queue[0]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            server.requests.append(Seen(self.command, parts.path, parse_qs(parts.query),
                                        {k.lower(): v for k, v in self.headers.items()}, body))
            answer = server.next_answer(self.command, parts.path)
            if answer.delay:
                time.sleep(answer.delay)
            data = answer.payload()
            self.send_response(answer.status)
            if answer.content_type:
                self.send_header("content-type", answer.content_type)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timeout tests)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, *_args: Any) -> None:
            """Quiet."""

    return Handler
