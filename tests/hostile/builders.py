"""Page builders and run helpers for the hostile-docs tests and the fuzz harness.

Pages are written in the shapes Speakeasy prints (see tests/cases/extract/*.txt); the
hostile part is always the content put into them, never the page layout.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from generator import ir
from generator.config import Config
from generator.diagnostics import CODES, Diagnostic
from generator.pipeline import build_schema

CHECK = ":heavy_check_mark:"
MINUS = ":heavy_minus_sign:"
# Diagnostics about the run as a whole (derived names, the assumed naming rule, an empty
# run, configuration entries) have no page to point at; every other one must name a file.
GLOBAL_CODES = frozenset({"N201", "N301", "W302", "E001"})

PageText = Union[str, bytes]


def field_row(name: str, type_: str = "*str*", required: str = CHECK, description: str = "N/A",
              example: str = "") -> str:
    """One Fields-table row with a code-span name cell."""
    return f"| `{name}` | {type_} | {required} | {description} | {example} |"


def model_page(title: str, rows: Iterable[str], description: str = "") -> str:
    """A model page: `# Title`, a description paragraph and a `## Fields` table."""
    body = "\n".join(rows)
    return (f"# {title}\n\n{description}\n\n\n## Fields\n\n"
            "| Field | Type | Required | Description | Example |\n"
            "| ----- | ---- | -------- | ----------- | ------- |\n"
            f"{body}\n")


def enum_page(title: str, members: Iterable[tuple[str, str]], description: str = "") -> str:
    """An enum page: `# Title` and a `## Values` table of (name, value) rows."""
    body = "\n".join(f"| `{name}` | {value} |" for name, value in members)
    return f"# {title}\n\n{description}\n\n\n## Values\n\n| Name | Value |\n| ---- | ----- |\n{body}\n"


def union_page(title: str, variants: Iterable[tuple[str, str]], fence: str = "python") -> str:
    """A union page: `## Supported Types` with one `### Variant` and code block each."""
    parts = [f"# {title}\n\n\n## Supported Types\n"]
    for heading, type_ in variants:
        parts.append(f"\n### {heading}\n\n```{fence}\n{heading.lower() or 'value'}: {type_} = /* values here */\n```\n")
    return "".join(parts)


def group_page(title: str, operations: Iterable[str], *, example: str = "", fence: str = "python",
               param_type: str = "*Optional[str]*") -> str:
    """A group page: Overview + Available Operations, then one `## op` section each."""
    ops = list(operations)
    parts = [f"# {title}\n\n## Overview\n\nThe {title} group.\n\n### Available Operations\n\n"]
    parts.extend(f"* [{op}](#{op}) - Does {op}\n" for op in ops)
    for op in ops:
        parts.append(f"\n## {op}\n\nDoes {op}.\n\n")
        if example:
            parts.append(f"### Example Usage\n\n```{fence}\n{example.rstrip(chr(10))}\n```\n\n")
        parts.append("### Parameters\n\n| Parameter | Type | Required | Description |\n"
                     "| --------- | ---- | -------- | ----------- |\n"
                     f"| `value` | {param_type} | {MINUS} | A value. |\n\n")
        parts.append("### Response\n\n**[operations.Result](../../models/operations/result.md)**\n")
    return "".join(parts)


RESULT_PAGE = model_page("Result", [field_row("status_code", "*int*")])
OK_PAGE = model_page("Okay", [field_row("ok_field")])


def write_tree(root: Path, pages: Mapping[str, PageText]) -> Path:
    """Write pages (text as UTF-8, bytes as-is) under `root`; return root."""
    for rel, content in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def run_schema(*docs: Path | str) -> ir.Schema:
    """build_schema with the default configuration."""
    return build_schema([str(d) for d in docs], Config())


def codes(schema: ir.Schema, severity: str = "") -> list[str]:
    """Codes of the schema's diagnostics (optionally of one severity)."""
    return [d.code for d in schema.diagnostics if not severity or d.severity.value == severity]


def find(schema: ir.Schema, code: str) -> list[Diagnostic]:
    """The diagnostics with `code`."""
    return [d for d in schema.diagnostics if d.code == code]


def problems(schema: ir.Schema) -> list[Diagnostic]:
    """Errors and warnings (notes left out)."""
    return [d for d in schema.diagnostics if d.severity.value != "note"]


def strict_json(text: str) -> Any:
    """Parse JSON rejecting NaN/Infinity, which are not JSON."""
    def reject(constant: str) -> Any:
        raise ValueError(f"non-standard JSON constant {constant}")
    return json.loads(text, parse_constant=reject)


def diagnostic_problems(schema: ir.Schema, line_counts: Mapping[str, int] | None = None) -> list[str]:
    """Invariant breaches of the diagnostics: unregistered code, no file, bad line."""
    found = []
    for d in schema.diagnostics:
        if d.code not in CODES:
            found.append(f"unregistered code {d.code}: {d.render()}")
        if not d.file and d.code not in GLOBAL_CODES:
            found.append(f"diagnostic without a file: {d.render()}")
        if d.line < 0:
            found.append(f"negative line: {d.render()}")
        if line_counts and d.file in line_counts and d.line > line_counts[d.file] + 1:
            found.append(f"line {d.line} is past the end of {d.file} ({line_counts[d.file]} lines): {d.render()}")
    return found


def assert_sound(schema: ir.Schema, rebuild: ir.Schema | None = None) -> str:
    """The invariants every run must keep; returns the IR JSON text.

    Registered codes with a location; IR valid against the shipped JSON Schema; the JSON
    is strict, encodable as UTF-8 and round-trips; a second run gives the same text.
    """
    from conftest import assert_valid_ir

    assert not diagnostic_problems(schema), diagnostic_problems(schema)
    text = ir.dump_json(schema)
    text.encode("utf-8")  # lone surrogates (from undecodable file names) would fail here
    assert_valid_ir(strict_json(text))
    assert ir.load_json(text) == schema
    if rebuild is not None:
        assert ir.dump_json(rebuild) == text, "two runs on the same input gave different IR"
    return text


def symlink(link: Path, target: Path) -> None:
    """Create a symlink (parents included)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
