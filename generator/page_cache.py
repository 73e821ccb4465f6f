"""The page store in the user cache folder: page reads (`pages.PageRead`) in one sqlite file.

An entry must give back exactly what extraction returned, and the IR's `to_dict` is a public
form that normalises (a server's variables become a mapping), so entries use a form of their
own: each dataclass as its module, class and field values (restored without running
`__init__`), tuples as arrays, enum members by value, and JSON scalars of their exact types.
A read holding anything else is not stored. sqlite serialises concurrent runs; a file that is
not a database is replaced; an entry or a file that cannot be read only costs time.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sqlite3
import sys
import zlib
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from .pages import PageRead

FILE_NAME = "pages-1.sqlite"  # the number changes with the entry format
_LIMIT = 50_000  # entries kept (airbyte-python has 322 pages; an entry is ~0.5 KB compressed)
_SCALARS = (str, int, float, bool, type(None))
_PACKAGE = __name__.rpartition(".")[0]
Shape = tuple[str, Optional[tuple[str, ...]]]  # `module:Class`, and field names (None for an enum)
_SHAPES: dict[type, Shape] = {}
_CLASSES: dict[str, tuple[type, Shape]] = {}


def _shape(cls: type) -> Shape:
    """The shape of a dataclass or enum of this package; TypeError for any other class."""
    shape = _SHAPES.get(cls)
    if shape is not None:
        return shape
    if not cls.__module__.startswith(f"{_PACKAGE}."):
        raise TypeError(f"a {cls.__name__} cannot be kept in the page cache")
    if issubclass(cls, enum.Enum):
        names = None
    elif dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))
    else:
        raise TypeError(f"a {cls.__name__} cannot be kept in the page cache")
    shape = _SHAPES[cls] = (f"{cls.__module__}:{cls.__qualname__}", names)
    return shape


def encode(value: Any) -> Any:
    """A JSON-ready form of `value` that `decode` turns back into an equal value of the same types."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple:
        return [encode(item) for item in value]
    name, names = _shape(kind)
    if names is None:
        return {"@": name, "e": encode(value.value)}
    return {"@": name, "v": [encode(getattr(value, field)) for field in names]}


def _class(name: str) -> tuple[type, Shape]:
    """A class of this package by `module:Class`, among the modules already imported."""
    found = _CLASSES.get(name)
    if found is None:
        module, _, qualname = name.partition(":")
        cls = getattr(sys.modules[module], qualname) if module.startswith(f"{_PACKAGE}.") else None
        if not isinstance(cls, type) or _shape(cls)[0] != name:
            raise TypeError(f"{name} is not a class of {_PACKAGE}")
        found = _CLASSES[name] = (cls, _shape(cls))
    return found


_JSON_SCALARS = frozenset(_SCALARS)


def decode(data: Any) -> Any:
    """Inverse of `encode`; KeyError, TypeError or ValueError for data it did not write.
    (Scalars, most of the values, are taken as they are without a call per value.)"""
    if type(data) is list:
        return tuple([item if type(item) in _JSON_SCALARS else decode(item) for item in data])
    if type(data) is not dict:
        return data
    cls, (_, names) = _class(data["@"])
    if names is None:
        return cls(decode(data["e"]))
    values = data["v"]
    if len(values) != len(names):
        raise ValueError(f"{data['@']} does not have these fields")
    obj: Any = object.__new__(cls)
    setattr_ = object.__setattr__  # frozen: set as the dataclass's own __init__ does
    for name, value in zip(names, values):
        setattr_(obj, name, value if type(value) in _JSON_SCALARS else decode(value))
    return obj


def _pack(read: PageRead) -> Optional[bytes]:
    try:
        return zlib.compress(json.dumps(encode(read), separators=(",", ":")).encode("ascii"), 1)
    except (TypeError, ValueError, RecursionError):
        return None


def _unpack(blob: bytes) -> Optional[PageRead]:
    try:
        read = decode(json.loads(zlib.decompress(blob)))
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return read if isinstance(read, PageRead) else None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
    except sqlite3.Error:
        db.close()
        raise
    return db


def _open(path: Path) -> Optional[sqlite3.Connection]:
    """The database, created when missing and replaced when the file is not one; None when it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _connect(path)
        except sqlite3.OperationalError:  # locked, read-only, ...: not this time
            return None
        except sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
            path.unlink(missing_ok=True)
            return _connect(path)
    except (sqlite3.Error, OSError):
        return None


class PageCache:
    """Page reads by key in one sqlite file (a `pages.PageStore`); counts what it gave and kept."""

    def __init__(self, path: Optional[Path], defer: bool = False) -> None:
        self.path = path
        self.db: Optional[sqlite3.Connection] = None
        self.found = 0
        self.stored = 0
        self.defer = defer  # put_many only collects; `flush` stores (a run does it in a background process)
        self.pending: dict[str, PageRead] = {}

    @classmethod
    def in_folder(cls, root: Optional[Path], defer: bool = False) -> "PageCache":
        """The store in a cache folder (none when the folder is None: caching is off)."""
        return cls(None if root is None else root / FILE_NAME, defer)

    def _db(self) -> Optional[sqlite3.Connection]:
        if self.db is None and self.path is not None:
            self.db = _open(self.path)
            if self.db is None:
                self.path = None  # do not try again in this run
        return self.db

    def get_many(self, keys: Sequence[str]) -> dict[str, PageRead]:
        """The readable entries among `keys`."""
        found: dict[str, PageRead] = {}
        wanted = sorted(set(keys))
        db = self._db() if wanted else None
        if db is None:
            return found
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = db.execute(f"SELECT key, data FROM pages WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update((str(key), read) for key, blob in rows
                             if isinstance(blob, bytes) and (read := _unpack(blob)) is not None)
        except sqlite3.Error:
            return {}
        self.found += len(found)
        return found

    def put_many(self, reads: Mapping[str, PageRead]) -> None:
        """Keep reads (those that can be kept), at once or, when the store defers, at `flush`;
        past `_LIMIT` entries the oldest are dropped."""
        if self.defer:
            self.pending.update(reads)
            return
        self._store(reads)

    def flush(self) -> None:
        """Store the reads a deferring store was given."""
        reads, self.pending = self.pending, {}
        self._store(reads)

    def _store(self, reads: Mapping[str, PageRead]) -> None:
        db = self._db() if reads else None
        rows = sorted((key, blob) for key, read in reads.items() if (blob := _pack(read)) is not None) if db else []
        if db is None or not rows:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO pages (key, data) VALUES (?, ?)", rows)
                count = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
                if count > _LIMIT:
                    db.execute("DELETE FROM pages WHERE rowid IN (SELECT rowid FROM pages ORDER BY rowid LIMIT ?)",
                               (count - _LIMIT,))
        except sqlite3.Error:
            return
        self.stored += len(rows)

    def close(self) -> None:
        """Release the database."""
        if self.db is not None:
            self.db.close()
            self.db = None
