"""The hostile docs tree of the injection tests, and the checks that read generated code.

Payloads go wherever docs text reaches generated code: titles, descriptions, field and
parameter names, examples, enum names and values, server URLs and variables, summaries.
"""

from __future__ import annotations

import ast
import io
import sys
import textwrap
import tokenize
from pathlib import Path

CHECK, MINUS = ":heavy_check_mark:", ":heavy_minus_sign:"

TOUCH = '"""; import os; os.system("touch PWNED")'
IMPORT = "__import__('os').system('touch PWNED')"
TRIPLE_SINGLE = "'''"
ESCAPED = '\\"\\"\\"'
JINJA = "{{ 7*7 }}"
RAW = "{% raw %}"
SCRIPT = "</script>"
CONTROL = "bell\x07 esc\x1b[31m vt\x0b ff\x0c del\x7f nul\x00 ls\u2028 ps\u2029 nel\x85 end"
# Control characters that str.splitlines() does not treat as line breaks (safe inside a table row).
INLINE_CONTROL = "bell\x07 esc\x1b[31m del\x7f nul\x00 end"
NAME_PAYLOAD = 'x: int = __import__("os").system("touch PWNED")'
TITLE_PAYLOAD = "Foo(__import__('os'))"
EVERYTHING = f"{TOUCH} {TRIPLE_SINGLE} {ESCAPED} {IMPORT} {JINJA} {RAW} {SCRIPT}"
FORBIDDEN = ("__import__", "os.system", "PWNED")


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped, no line breaks (a table row is one line)."""
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _fields(rows: list[tuple[str, str, str, str, str]]) -> str:
    head = "| Field | Type | Required | Description | Example |\n| --- | --- | --- | --- | --- |\n"
    return head + "\n".join(_row(f"`{n}`", t, r, _cell(d), _cell(e)) for n, t, r, d, e in rows) + "\n"


def hostile_docs(root: Path, cell_control: str = INLINE_CONTROL) -> Path:
    """The docs tree (and its docs2sdk.toml) with a payload in every place text reaches code.

    `cell_control` goes into table cells; CONTROL (line separators included) into paragraphs."""
    pages = {
        "README.md": f"""# {TITLE_PAYLOAD} \""" \\

{EVERYTHING}\r
A paragraph whose line ends in a backslash \\
{CONTROL}

## SDK Example Usage

```python
import pwnsdk

s = pwnsdk.Pwn()

res = s.pwn.get_thing(thing_id='{TOUCH}')
```

## Available Resources and Operations

### [pwn](docs/sdks/pwn/README.md)

* [get_thing](docs/sdks/pwn/README.md#get_thing) - {TOUCH}
* [put_thing](docs/sdks/pwn/README.md#put_thing) - {IMPORT} {JINJA}

## Server Selection

### Select Server by Index

| # | Server | Variables |
| - | ------ | --------- |
| 0 | `http://127.0.0.1:9/{_cell(TOUCH)}` | None |
| 1 | `https://{{br}}.example/{_cell(JINJA)}/''' \\` | `br` (default is `"; {_cell(IMPORT)}; "`) |
""",
        "docs/models/shared/bar.md": f"# {TITLE_PAYLOAD}\n\n{CONTROL}\n\n\n## Fields\n\n" + _fields([
            ("id", "*str*", CHECK, TOUCH, IMPORT),
        ]),
        "docs/models/shared/foo.md": f"# Foo\n\n{EVERYTHING}\\\n\n\n## Fields\n\n" + _fields([
            (NAME_PAYLOAD, "*str*", CHECK, TOUCH, IMPORT),
            ("class", "*Optional[str]*", MINUS, TRIPLE_SINGLE, TRIPLE_SINGLE),
            ("__init__", "*Optional[int]*", MINUS, ESCAPED, "7"),
            ("note", "*Optional[str]*", MINUS, "ends with a backslash \\", "\\"),
            ("template", "*Optional[str]*", MINUS, f"{JINJA} {RAW} {SCRIPT}", JINJA),
            ("control", "*Optional[str]*", MINUS, cell_control, cell_control),
            ("mode", "[Optional[shared.Mode]](../../models/shared/mode.md)", MINUS, IMPORT, ""),
            ("1st", "Dict[str, *str*]", MINUS, TOUCH, ""),
            ("ünïcödé", "List[*str*]", MINUS, RAW, ""),
        ]),
        "docs/models/shared/mode.md": f"""# Mode

{TOUCH}


## Values

| Name | Value |
| ---- | ----- |
| `{IMPORT}` | {_cell(TOUCH)} |
| `OK` | {_cell(JINJA)} |
| `BACKSLASH` | \\ |
| `QUOTES` | {_cell(TRIPLE_SINGLE)} |
""",
        "docs/models/operations/getthingresponse.md": "# GetThingResponse\n\n\n## Fields\n\n" + _fields([
            ("content_type", "*str*", CHECK, "Content type of the HTTP response", ""),
            ("foo", "[Optional[shared.Foo]](../../models/shared/foo.md)", MINUS, TOUCH, ""),
            ("status_code", "*int*", CHECK, "HTTP status code of the response", ""),
        ]),
        "docs/models/operations/putthingresponse.md": "# PutThingResponse\n\n\n## Fields\n\n" + _fields([
            ("content_type", "*str*", CHECK, "Content type of the HTTP response", ""),
            ("status_code", "*int*", CHECK, "HTTP status code of the response", ""),
        ]),
        "docs/sdks/pwn/README.md": f"""# Pwn
(*pwn*)

## Overview

{EVERYTHING}

### Available Operations

* [get_thing](#get_thing) - {TOUCH}
* [put_thing](#put_thing) - {IMPORT}

## get_thing

{TOUCH}\r
{IMPORT} \\
{JINJA} {RAW} {SCRIPT}

### Example Usage

```python
import pwnsdk

s = pwnsdk.Pwn()

res = s.pwn.get_thing(thing_id='{TOUCH}')
```

### Parameters

| Parameter | Type | Required | Description |
| --------- | ---- | -------- | ----------- |
| `thing_id` | *str* | {CHECK} | {_cell(TOUCH)} |
| `{NAME_PAYLOAD}` | *Optional[str]* | {MINUS} | {_cell(IMPORT)} |

### Response

**[operations.GetThingResponse](../../models/operations/getthingresponse.md)**

## put_thing

{ESCAPED} {TRIPLE_SINGLE}

### Parameters

| Parameter | Type | Required | Description |
| --------- | ---- | -------- | ----------- |
| `request` | [shared.Foo](../../models/shared/foo.md) | {CHECK} | {_cell(EVERYTHING)} |

### Response

**[operations.PutThingResponse](../../models/operations/putthingresponse.md)**
""",
        "docs2sdk.toml": textwrap.dedent("""\
            package = "pwnsdk"
            sdk_class = "Pwn"
            naming = "as-documented"

            [routes]
            "pwn.get_thing" = "GET /things/{thing_id}"
            "pwn.put_thing" = "PUT /things"
        """),
    }
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT} | (
    {tokenize.FSTRING_START, tokenize.FSTRING_MIDDLE, tokenize.FSTRING_END} if sys.version_info >= (3, 12) else set())


def code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """The tokens of a module that are code: string literals and comments left out."""
    return [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in _TEXT_TOKENS]


def code_without_strings(tokens: list[tokenize.TokenInfo], names: str = "") -> str:
    """The code tokens space-joined; with `names`, every identifier is replaced by it."""
    return " ".join(names if names and t.type == tokenize.NAME else t.string for t in tokens)


def string_constants(tree: ast.AST) -> list[str]:
    """Every str constant in a module (docstrings included)."""
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def kind_of(path: Path, package: Path) -> str:
    """What a generated module is: `_runtime.py`, `sdk.py`, `models/*`, a group module (`group`), ..."""
    rel = path.relative_to(package).as_posix()
    if rel.startswith("models/") and rel != "models/__init__.py":
        return "models/*"
    return rel if "/" in rel or rel in ("__init__.py", "_runtime.py", "sdk.py") else "group"


def _absolute_imports(tree: ast.AST) -> set[str]:
    """Modules imported by absolute imports (relative ones stay inside the package)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(f"{node.module}:{','.join(sorted(a.name for a in node.names))}")
    return found


def imports_by_kind(package: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        found.setdefault(kind_of(path, package), set()).update(
            _absolute_imports(ast.parse(path.read_text(encoding="utf-8"))))
    return found


