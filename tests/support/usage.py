"""Shared steps of the documented-usage tests: run a corpus once, judge, summarise, expect."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from .irvalues import IRValues
from .paths import CORPORA
from .plausible import responder
from .report import CorpusResult, record
from .runner import Job, Outcome, run_all
from .snippets import Snippet, load_schema, python_snippets
from .wire import repr_leaks


def snippets_of(corpus: str, config: Path | None = None) -> list[Snippet]:
    """The corpus's Python snippets ([] where the corpora are absent: tests then skip)."""
    if not (CORPORA / corpus).is_dir():
        return []
    return python_snippets(corpus, load_schema(str(CORPORA / corpus), str(config) if config else None))


def env_var(package: str) -> str:
    """The variable the generated SDK reads its server URL from: `<PACKAGE_UPPER>_SERVER_URL`."""
    return f"{package.upper()}_SERVER_URL"


def run_plausible(corpus: str, out: Path, snippets: list[Snippet]) -> tuple[dict[str, Outcome], float]:
    """Run every snippet against a server answering a 200 built from the IR's response model.

    Returns the outcomes by snippet id and the wall time taken."""
    schema = load_schema(str(CORPORA / corpus))
    values = IRValues(schema)
    jobs = [Job(s, responder(s, values), tuple(f["name"] for f in s.op["response_fields"])) for s in snippets]
    start = time.monotonic()
    package = schema["api"]["package"]
    outcomes = {o.snippet.id: o for o in run_all(jobs, out_dir=out, env_var=env_var(package), package=package)}
    return outcomes, time.monotonic() - start


def completion_problems(outcome: Outcome) -> list[str]:
    """A snippet must run to completion, reach the server, and send no Python repr on the wire."""
    if outcome.failure():
        return [outcome.failure()]
    if not outcome.requests:
        return ["completed without sending any request to the server"]
    return [f"Python repr on the wire: {leak}" for request in outcome.requests for leak in repr_leaks(request)]


def summarise(key: str, title: str, outcomes: dict[str, Outcome], check: Callable[[Outcome], list[str]],
              known: dict[str, str], seconds: float) -> int:
    """Record passed/total with each failure's classified cause; return the pass count."""
    failures = {}
    for name, outcome in outcomes.items():
        problems = check(outcome)
        if problems:
            failures[name] = f"{known.get(name, 'UNCLASSIFIED')} -> {'; '.join(problems)[:400]}"
    passed = len(outcomes) - len(failures)
    record(key, CorpusResult(title, passed, len(outcomes), failures, seconds))
    return passed


def expect(problems: list[str], known: dict[str, str], snippet_id: str) -> None:
    """Pass; or xfail with the classified cause when listed; or fail showing the problems.

    A "docs:" cause is a fact of the corpus (e.g. the snippet is invalid Python) and must keep
    failing; a "generator:" cause is a bug to fix, after which its entry is removed.
    """
    cause = known.get(snippet_id)
    if problems and cause:
        pytest.xfail(f"{cause} | observed: {'; '.join(problems)[:600]}")
    if not problems and cause and cause.startswith("docs:"):
        pytest.fail(f"listed as a docs fact but passes now; remove it: {cause}")
    assert not problems, "\n".join(problems)
