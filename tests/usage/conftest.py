"""Usage harness fixtures: generated SDKs per corpus (once per session) and the pass summary."""

from __future__ import annotations

from pathlib import Path

import pytest

# tests/usage is a package, so pytest puts tests/ on sys.path and `support` imports from there
# (and this conftest is `usage.conftest`, never shadowing tests/conftest.py as `conftest`).
from support import placeholder_routes, report
from support.paths import AIRBYTE_CONFIG, CORPORA
from support.sdkgen import generate
from support.snippets import load_schema

# Airbyte: the committed configuration built from the corpus facts. The others state no routes;
# they get test-only placeholder routes so their calls reach the loopback server.
CONFIGS = {"airbyte-python": AIRBYTE_CONFIG}


@pytest.fixture(scope="session")
def generated_sdk(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`generated_sdk(corpus)` -> OUT folder holding the SDK generated from that corpus (cached)."""
    cache: dict[str, Path] = {}

    def build(corpus: str) -> Path:
        if corpus not in cache:
            out = tmp_path_factory.mktemp(f"sdk-{corpus}")
            config = CONFIGS.get(corpus)
            if config is None:
                schema = load_schema(str(CORPORA / corpus))
                config = placeholder_routes.write(schema, out.parent / f"{out.name}-routes.toml")
            cache[corpus] = generate(CORPORA / corpus, out, config)
        return cache[corpus]

    return build


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Print passed/total per corpus and each failure with its classified cause."""
    lines = report.summary_lines()
    if lines:
        terminalreporter.section("documented usage")
        for line in lines:
            terminalreporter.write_line(line)
