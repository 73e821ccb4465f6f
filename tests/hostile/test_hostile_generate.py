"""The SDK generator on hostile IR: cases the generator fuzz run found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator import ir

from .builders import OK_PAGE, run_schema, write_tree


def test_generate_survives_a_union_without_variants(tmp_path: Path) -> None:
    """An IR union with no variants (as extraction gives for an empty Supported Types section)."""
    from generator.generate import generate

    schema = run_schema(write_tree(tmp_path / "api", {"docs/models/shared/ok.md": OK_PAGE}))
    empty = ir.Union(name="Nothing", namespace="shared", variants=(), source=ir.Span("docs/models/shared/nothing.md", 1))
    result = generate(replace(schema, unions=(empty,)))
    init = next(text for path, text in result.files.items() if path.endswith("models/shared/__init__.py"))
    assert "Nothing = _t.Any" in init or "Nothing: _t.TypeAlias = _t.Any" in init, init
    assert [(d.code, d.file, d.line) for d in result.diagnostics] == [("W303", "docs/models/shared/nothing.md", 1)]


def test_format_error_survives_a_context_manager() -> None:
    """FormatError keeps its type when it crosses contextlib machinery."""
    import contextlib

    from generator.format import FormatError

    @contextlib.contextmanager
    def scope():  # type: ignore[no-untyped-def]
        yield

    with pytest.raises(FormatError):
        with scope():
            raise FormatError("sdk/x.py", 1, "cannot parse")
