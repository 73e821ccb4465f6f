"""Installed package versions without importing importlib.metadata (~25 ms, paid on every run):
the first `sys.path` entry holding a `<name>-<version>.dist-info` folder is the one Python
imports the package from, and its METADATA's `Version:` header is what importlib.metadata
reads. Anything unusual (no such folder, several, no header) asks importlib.metadata."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import Optional

_SEPARATORS = re.compile(r"[-_.]+")


def _normal(name: str) -> str:
    return _SEPARATORS.sub("_", name).lower()


def _metadata_version(folder: str) -> Optional[str]:
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip()
                if not line.strip():
                    return None  # the headers end at the first blank line
    except OSError:
        return None
    return None


def _scan(name: str) -> Optional[str]:
    wanted = _normal(name)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found = [n for n in names if n.endswith(".dist-info") and _normal(n[:-10].rpartition("-")[0]) == wanted]
        if found:
            return _metadata_version(os.path.join(entry or ".", found[0])) if len(found) == 1 else None
    return None


@lru_cache(maxsize=None)
def installed_version(name: str) -> Optional[str]:
    """The version of an installed distribution; None when it is not installed."""
    found = _scan(name)
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None
