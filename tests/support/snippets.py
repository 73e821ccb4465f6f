"""Documented "Example Usage" snippets, taken from the IR exactly as the docs print them."""

from __future__ import annotations

import ast
import json
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .paths import DOCS2SDK


@dataclass(frozen=True)
class Snippet:
    """One Python example of one operation."""

    corpus: str
    group: str
    operation: str
    code: str
    source: str  # file:line in the corpus
    op: dict[str, Any]  # the IR operation

    @property
    def id(self) -> str:
        """`group.operation` (operations outside any group: `.operation`)."""
        return f"{self.group}.{self.operation}"


@lru_cache(maxsize=None)
def load_schema(docs: str, config: str | None = None) -> dict[str, Any]:
    """The IR of DOCS through the public CLI (`docs2sdk schema`)."""
    command = [str(DOCS2SDK), "schema", docs] + (["-c", config] if config else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"docs2sdk schema {docs} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def python_snippets(corpus: str, schema: dict[str, Any]) -> list[Snippet]:
    """Every Python example of every operation, in IR order."""
    out = []
    for group in schema["groups"]:
        for op in group["operations"]:
            for example in op.get("examples", []):
                if example.get("language") == "python":
                    src = example.get("source", {})
                    out.append(Snippet(corpus, group["name"], op["name"], example["code"],
                                       f"{src.get('file', '?')}:{src.get('line', 0)}", op))
    return out


def runnable(code: str) -> str:
    """`code` with `pass` appended to blocks whose body is only a comment; nothing else changes.

    Speakeasy prints `if res.x is not None:\\n    # handle response`, which is not valid
    Python. When the code compiles as it is, or the fix does not make it compile, the code is
    returned unchanged so the snippet's own error shows.
    """
    if _compiles(code):
        return code
    lines = code.rstrip("\n").split("\n")
    inserts = []  # (index of the block's last comment line, the comment's indent)
    for index, line in enumerate(lines):
        if line.rstrip().endswith(":") and not line.lstrip().startswith("#"):
            body = _block(lines, index)
            if body and all(lines[i].lstrip().startswith("#") for i in body):
                inserts.append((body[-1], _indent(lines[body[0]])))
    for after, indent in reversed(inserts):
        lines.insert(after + 1, " " * indent + "pass")
    fixed = "\n".join(lines) + "\n"
    return fixed if _compiles(fixed) else code


def _compiles(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], header: int) -> list[int]:
    """Indexes of the non-blank lines after `header` that are indented deeper than it."""
    body = []
    for index in range(header + 1, len(lines)):
        if not lines[index].strip():
            continue
        if _indent(lines[index]) <= _indent(lines[header]):
            break
        body.append(index)
    return body
