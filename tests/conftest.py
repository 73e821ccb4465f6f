"""Shared fixtures: the corpora beside the checkout, the --update-golden flag, IR helpers."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.config import Config, load_file
from generator.pipeline import build_schema

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SEEDS = SHARED / "seeds"
IR_SCHEMA = ROOT / "generator" / "ir_schema.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden` rewrites golden files instead of comparing with them."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="regenerate golden files (generated/, tests/golden/) from the current code")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --update-golden."""
    return bool(request.config.getoption("--update-golden"))


def corpus(name: str) -> Path:
    """Path of a corpus; skips the test with a reason where the corpora are absent."""
    path = CORPORA / name
    if not path.is_dir():
        pytest.skip(f"corpus {name!r} not found at {path} (the shared corpora are expected beside the checkout)")
    return path


@lru_cache(maxsize=None)
def _schema_cached(paths: tuple[str, ...], config_path: str) -> ir.Schema:
    config = load_file(Path(config_path)) if config_path else Config()
    return build_schema(list(paths), config)


def schema_of(*paths: Path, config: Path | None = None) -> ir.Schema:
    """The IR of DOCS paths (cached per session: extraction is pure)."""
    return _schema_cached(tuple(str(p) for p in paths), str(config) if config else "")


@lru_cache(maxsize=1)
def ir_validator() -> Any:
    """A JSON Schema validator for the shipped IR schema."""
    import jsonschema

    schema = json.loads(IR_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def assert_valid_ir(data: dict[str, Any]) -> None:
    """Every IR produced in the tests is validated against the shipped JSON Schema."""
    errors = sorted(ir_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "IR does not match generator/ir_schema.json:\n" + "\n".join(
        f"  {list(e.path)}: {e.message[:200]}" for e in errors[:10])
