"""Delta debugging of failing fuzz cases, and their text form for failure messages."""

from __future__ import annotations

from typing import Callable

from .harness import check_case
from .sources import Case


def shrink(pages: Case, signature: str, budget: int = 400, timeout: float = 30.0, generate: bool = False) -> Case:
    """Delta-debug a failing case: drop pages, then lines, then characters, keeping the signature."""
    calls = 0

    def fails(candidate: Case) -> bool:
        nonlocal calls
        calls += 1
        return any(f.signature == signature for f in check_case(candidate, timeout, generate=generate))

    current = dict(pages)
    for rel in list(current):
        if len(current) > 1 and calls < budget and fails({k: v for k, v in current.items() if k != rel}):
            del current[rel]
    for rel in list(current):
        for separator in (b"\n", b""):
            parts = current[rel].split(separator) if separator else [bytes([b]) for b in current[rel]]
            if len(parts) > 4000:
                continue
            parts = _ddmin(parts, lambda ps: calls < budget and fails({**current, rel: separator.join(ps)}))
            current[rel] = separator.join(parts)
    return current


def _ddmin(parts: list[bytes], fails: Callable[[list[bytes]], bool]) -> list[bytes]:
    """Classic ddmin: remove chunks while the failure persists."""
    chunks = 2
    while len(parts) >= 2:
        size = max(1, len(parts) // chunks)
        removed = False
        for start in range(0, len(parts), size):
            candidate = parts[:start] + parts[start + size:]
            if candidate and fails(candidate):
                parts, chunks, removed = candidate, max(chunks - 1, 2), True
                break
        if not removed:
            if size == 1:
                break
            chunks = min(len(parts), chunks * 2)
    return parts


def describe(pages: Case) -> str:
    """A case as text, for failure messages."""
    return "\n".join(f"@@ {rel}\n{data.decode('utf-8', 'backslashreplace')}" for rel, data in pages.items())
