"""The registry of hostile docs trees: each case writes a small tree and states the behaviour expected of it.

A case is a function `(tmp) -> (DOCS arguments, check)`: it writes its tree under `tmp`
and returns the paths to pass to docs2sdk and a function that asserts what the IR must
hold (a clean diagnostic at file:line, or the hostile text kept verbatim). The cases live
in cases_names.py, cases_text.py, cases_sizes.py and cases_files.py; every case is run
in-process (test_hostile_ir.py) and through the CLI (test_hostile_cli.py).

`bug` marks a case whose expectation the generator does not meet yet (a strict xfail,
described in the reason); `cli_bug` the same for the CLI run (exit 1 / a traceback).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import ir

from .builders import write_tree

Check = Callable[[ir.Schema], None]
Build = Callable[[Path], tuple[list[str], Check]]
MARKER = "HOSTILE_MARKER_7f3a9c"  # must never appear in any IR: it lives only outside the docs roots
FIRST_ROW = 10  # line of the first table row on model_page/enum_page with a one-line description


@dataclass(frozen=True)
class HostileCase:
    """One hostile tree."""

    id: str
    build: Build
    bug: str = ""
    cli_bug: str = ""
    cli_exit: tuple[int, ...] = (0, 3)


CASES: list[HostileCase] = []


def case(case_id: str, *, bug: str = "", cli_bug: str = "", cli_exit: tuple[int, ...] = (0, 3)) -> Callable[[Build], Build]:
    """Register a hostile case."""
    def register(build: Build) -> Build:
        CASES.append(HostileCase(case_id, build, bug, cli_bug, cli_exit))
        return build
    return register


def tree(tmp: Path, pages: dict[str, str | bytes]) -> list[str]:
    """Write pages under tmp/api; the DOCS arguments."""
    root = write_tree(tmp / "api", pages)
    return [str(root)]


def model_named(schema: ir.Schema, name: str) -> ir.Model:
    """The one model called `name`."""
    found = [m for m in schema.models if m.name == name]
    assert len(found) == 1, f"model {name!r} not found once in {[m.name for m in schema.models]}"
    return found[0]


def depth(t: ir.TypeRef) -> int:
    """How many list/map layers wrap the innermost type."""
    layers = 0
    while t.kind in ("list", "map"):
        t = t.items if t.kind == "list" else t.values  # type: ignore[assignment]
        layers += 1
    return layers
