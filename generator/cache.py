"""Run caches in the user cache folder, keyed by everything that decides the output.

The key of a run hashes the bytes of every page `discover` finds (with its display path,
namespace and README flag), the configuration, and the generator itself (its modules and
templates, black's and Python's versions), so a code or docs change always misses. Under
the key we keep the IR (so unchanged docs are not read again) and a record of the run: the
sha256 of every generated file, the diagnostics and the counts. With the record, `generate`
and `check` prove that OUT is up to date by hashing OUT alone, without reading the docs.

What each page yielded is kept apart, per page (`page_cache`), for runs whose docs changed.
`DOCS2SDK_CACHE_DIR` moves the folder, `DOCS2SDK_NO_CACHE=1` disables every cache. A cache
that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from .config import Config
from .diagnostics import Diagnostic
from .discover import DocsTree
from .versions import installed_version

PACKAGE_DIR = Path(__file__).resolve().parent
# The Jinja templates: `templates/` beside the package in a checkout (and an editable install),
# `generator/templates/` in an installed wheel (pyproject maps the folder there).
TEMPLATES = next((folder for folder in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates")
                  if folder.is_dir()), PACKAGE_DIR.parent / "templates")
RECORD_VERSION = 1
_KEEP_RUNS = 32


def cache_root() -> Optional[Path]:
    """`$DOCS2SDK_CACHE_DIR`, else `$XDG_CACHE_HOME/docs2sdk` or ~/.cache/docs2sdk; None when
    DOCS2SDK_NO_CACHE is set."""
    if os.environ.get("DOCS2SDK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    base = os.environ.get("DOCS2SDK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "docs2sdk")
    return Path(base)


def tool_version() -> str:
    """The installed docs2sdk version (as `view.docs2sdk_version`, without importing the view)."""
    return installed_version("docs2sdk") or "0"  # "0": running from a plain checkout


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """A hash of the generator's code and templates and of the versions that shape its output
    (markdown-it-py's too: the reader's block tree is its parse)."""
    digest = hashlib.sha256()
    black, markdown_it = installed_version("black"), installed_version("markdown-it-py")
    digest.update(f"{RECORD_VERSION}|{tool_version()}|{black}|{markdown_it}|"
                  f"{sys.version_info[:2]}".encode())
    files = sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.glob("*.json"),
                    *(TEMPLATES.iterdir() if TEMPLATES.is_dir() else [])])
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR.parent).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_key(trees: list[DocsTree], config: Config) -> tuple[Optional[str], int]:
    """(the key of a run on these trees, read by `discover.with_contents`, with this configuration;
    pages found); no key when a page could not be read or a DOCS path does not exist (the
    pipeline then reports it)."""
    digest = hashlib.sha256()
    digest.update(generator_fingerprint().encode() + b"\0" + repr(config).encode() + b"\0")
    pages = 0
    for tree in trees:
        if any(d.severity.value == "error" for d in tree.diagnostics):
            return None, 0
        digest.update(repr((tree.loose, tuple(d.to_dict() for d in tree.diagnostics))).encode())
        for page in tree.pages:
            if page.data is None:
                return None, 0
            pages += 1
            digest.update(repr((page.rel, page.namespace, page.is_readme, len(page.data))).encode())
            digest.update(hashlib.sha256(page.data).digest())
    return digest.hexdigest(), pages


@dataclass(frozen=True)
class RunRecord:
    """What a run on these inputs produced: file hashes, diagnostics (not promoted), counts."""

    files: dict[str, str]
    schema_diagnostics: tuple[Diagnostic, ...]
    generate_diagnostics: tuple[Diagnostic, ...]
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"files": self.files, "counts": self.counts,
                "schema_diagnostics": [d.to_dict() for d in self.schema_diagnostics],
                "generate_diagnostics": [d.to_dict() for d in self.generate_diagnostics]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunRecord":
        """Inverse of to_dict."""
        return cls(files={str(k): str(v) for k, v in data["files"].items()},
                   schema_diagnostics=tuple(Diagnostic.from_dict(d) for d in data["schema_diagnostics"]),
                   generate_diagnostics=tuple(Diagnostic.from_dict(d) for d in data["generate_diagnostics"]),
                   counts={str(k): int(v) for k, v in data["counts"].items()})


class RunCache:
    """Records and IRs of recent runs, one pair of files per key under `<cache>/runs`."""

    def __init__(self, root: Optional[Path]) -> None:
        self.root = root
        self.folder = None if root is None else root / "runs"

    @classmethod
    def default(cls) -> "RunCache":
        """The cache in the user cache folder (disabled by DOCS2SDK_NO_CACHE)."""
        return cls(cache_root())

    def _path(self, key: str, suffix: str) -> Optional[Path]:
        return None if self.folder is None else self.folder / f"{key}{suffix}"

    def record(self, key: Optional[str]) -> Optional[RunRecord]:
        """The record of a key, if there is a readable one."""
        path = self._path(key, ".run.json") if key else None
        if path is None:
            return None
        try:
            return RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def schema_json(self, key: Optional[str]) -> Optional[str]:
        """The cached IR JSON of a key, if any."""
        path = self._path(key, ".ir.json.z") if key else None
        if path is None:
            return None
        try:
            return zlib.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError):
            return None

    def save(self, key: Optional[str], record: Optional[RunRecord], schema_json: Optional[str]) -> None:
        """Store a record and/or an IR under a key; older runs beyond the newest few are dropped."""
        if key is None or self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if schema_json is not None:
                _write_atomic(self.folder / f"{key}.ir.json.z", zlib.compress(schema_json.encode("utf-8"), 1))
            if record is not None:
                text = json.dumps(record.to_dict(), sort_keys=True)
                _write_atomic(self.folder / f"{key}.run.json", text.encode("utf-8"))
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        assert self.folder is not None
        entries = []
        for path in self.folder.iterdir():
            try:
                entries.append((path.stat().st_mtime, path))
            except OSError:
                continue
        keys: dict[str, float] = {}
        for mtime, path in entries:
            if path.name.startswith(".tmp-"):
                if _stale_temp(path):
                    path.unlink(missing_ok=True)
                continue
            key = path.name.split(".", 1)[0]
            keys[key] = max(keys.get(key, 0.0), mtime)
        for key in sorted(keys, key=keys.__getitem__, reverse=True)[_KEEP_RUNS:]:
            for suffix in (".run.json", ".ir.json.z"):
                (self.folder / f"{key}{suffix}").unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{os.getpid()}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a leftover of a killed run has none)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale_temp(path: Path) -> bool:
    """A `.tmp-<pid>-...` file whose process is gone."""
    try:
        return not pid_alive(int(path.name.split("-")[1]))
    except (IndexError, ValueError):
        return True
