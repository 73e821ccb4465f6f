"""One `key -> value` table in an sqlite file, for the caches that keep values by key (formatted
blocks, generated files): safe for concurrent runs (sqlite serialises writers), bounded (past
`limit` rows the oldest go), and a failure of any kind only costs time (nothing found, nothing
kept)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable, Optional

_CHUNK = 500  # keys per SELECT (sqlite bounds the number of parameters of one statement)


class KeyedTable:
    """Rows of (key TEXT, `column` `kind`) in table `table` of the sqlite file at `path` (None: no file)."""

    def __init__(self, path: Optional[Path], table: str, column: str, kind: str, limit: int) -> None:
        self.table, self.column, self.limit = table, column, limit
        self.db: Optional[sqlite3.Connection] = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=10, isolation_level=None)
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, {column} {kind} NOT NULL)")
        except sqlite3.Error:
            self.close()

    def get_raw(self, keys: Iterable[str]) -> dict[str, Any]:
        """The stored values among `keys` (none at all when the file cannot be read)."""
        wanted = sorted(set(keys))
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        try:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start:start + _CHUNK]
                rows = self.db.execute(f"SELECT key, {self.column} FROM {self.table} "
                                       f"WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update((str(key), value) for key, value in rows)
        except sqlite3.Error:
            return {}
        return found

    def put_raw(self, rows: list[tuple[str, Any]]) -> None:
        """Keep the rows (sorted, in one transaction); past `limit` rows the oldest go."""
        if self.db is None or not rows:
            return
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, {self.column}) VALUES (?, ?)",
                                    sorted(rows))
                count = self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]
                if count > self.limit:
                    self.db.execute(f"DELETE FROM {self.table} WHERE rowid IN "
                                    f"(SELECT rowid FROM {self.table} ORDER BY rowid LIMIT ?)", (count - self.limit,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Release the database."""
        if self.db is not None:
            self.db.close()
            self.db = None
