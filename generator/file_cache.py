"""Generated files kept between runs, keyed by exactly the part of the IR each is made from.

A models module (`models/<ns>/__init__.py`) shows the text of its own nodes (descriptions,
examples, source lines of its models, enums, unions and their fields) and the structure of the
whole IR (names, types, wire names, routes, every other field); the other files show the
structure and no node's text from a models module. So when one model page's description
changes, only its models module is built, rendered and formatted again. Tests check the claim
on every corpus: changing the text of one namespace's nodes changes its module and no other
file. Keys also hold the generator's fingerprint (its code, templates, black's version).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import Any, Iterable, Optional

from . import ir
from .cache import cache_root, generator_fingerprint
from .sqlite_table import KeyedTable

FILE_NAME = "files-1.sqlite"
_TEXT_KEYS = ("description", "example", "source")
_LIMIT = 2_000  # entries kept (a models module of a large API is a few hundred KB, compressed ~10x)


def _take_text(node: Any) -> Any:
    """Remove the text keys from a node's dict, its fields' and members' too; return what was removed."""
    if isinstance(node, list):
        return [_take_text(item) for item in node]
    if not isinstance(node, dict):
        return None
    taken = {key: node.pop(key) for key in _TEXT_KEYS if key in node}
    nested = {key: _take_text(value) for key, value in node.items() if isinstance(value, (list, dict))}
    return [taken, nested]


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)  # to_dict orders keys itself
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def file_keys(schema: ir.Schema, namespaces: Iterable[str]) -> tuple[str, dict[str, str]]:
    """The key of the files other than the models modules, and the key of each models module
    (by documented namespace)."""
    data = schema.to_dict()
    wanted = set(namespaces)
    texts: dict[str, list[Any]] = {ns: [] for ns in sorted(wanted)}
    for kind in ("models", "enums", "unions"):
        for node in data.get(kind, ()):
            if node.get("namespace") in wanted:
                texts[node["namespace"]].append([kind, node.get("name"), _take_text(node)])
    head = generator_fingerprint()
    rest = _digest(head, FILE_NAME, data)
    return rest, {ns: _digest(head, FILE_NAME, rest, ns, items) for ns, items in texts.items()}


class FileCache(KeyedTable):
    """Formatted texts by key in one sqlite file (a failure only costs time)."""

    def __init__(self, path: Optional[Path]) -> None:
        super().__init__(path, "files", "data", "BLOB", _LIMIT)

    @classmethod
    def default(cls) -> "FileCache":
        """The cache in the user cache folder (none when DOCS2SDK_NO_CACHE is set)."""
        root = cache_root()
        return cls(None if root is None else root / FILE_NAME)

    def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, str]]:
        """The stored {path: text} of each key found (an entry that cannot be read: nothing at all)."""
        found: dict[str, dict[str, str]] = {}
        try:
            for key, blob in self.get_raw(keys).items():
                files = json.loads(zlib.decompress(blob))
                if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
                    found[key] = files
        except (zlib.error, ValueError, TypeError):
            return {}
        return found

    def put_many(self, entries: dict[str, dict[str, str]]) -> None:
        """Keep {path: text} under each key; past `_LIMIT` entries the oldest go."""
        if self.db is None:
            return
        self.put_raw([(key, zlib.compress(json.dumps(files, sort_keys=True).encode("utf-8", "surrogatepass"), 1))
                      for key, files in entries.items()])
