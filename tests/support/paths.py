"""Where the project, the third-party corpora and the reference OpenAPI document live."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
REFERENCE = SHARED / "reference"
AIRBYTE_FACTS = CORPORA / "airbyte-api-facts.json"
AIRBYTE_SPEC = REFERENCE / "airbyte-config-2023-06.yaml"
AIRBYTE_CONFIG = REPO / "tests" / "corpora" / "airbyte.toml"
DOCS2SDK = Path(sys.executable).with_name("docs2sdk")  # the console script of the running venv


def corpus(name: str) -> Path:
    """The folder of a corpus; skips the calling test when ../shared/corpora is absent."""
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"corpus {name!r} not found at {folder} (the shared corpora sit beside the checkout)")
    return folder


def require(path: Path, what: str) -> Path:
    """`path`, or skip the calling test with a reason naming `what` when it is absent."""
    if not path.exists():
        pytest.skip(f"{what} not found at {path} (shared data beside the checkout)")
    return path
