"""Pass counts per corpus, collected by the usage tests and printed in pytest's summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CorpusResult:
    """passed/total of one check over one corpus, with every failure's classified cause."""

    title: str
    passed: int = 0
    total: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # snippet id -> cause
    seconds: float = 0.0


RESULTS: dict[str, CorpusResult] = {}


def record(key: str, result: CorpusResult) -> None:
    """Keep `result` for the end-of-session summary."""
    RESULTS[key] = result


def summary_lines() -> list[str]:
    """The summary: one line per check, then each failure with its classified cause."""
    lines = []
    for key in sorted(RESULTS):
        result = RESULTS[key]
        lines.append(f"{result.title}: {result.passed}/{result.total} passed ({result.seconds:.1f}s)")
        lines += [f"    {name}: {cause}" for name, cause in sorted(result.failures.items())]
    return lines
