"""Facts read from Python example code with `ast` (never executed).

Speakeasy examples end in `if res.x is not None:` followed only by a comment, which is not
valid Python; `parse_example` appends `pass` to such empty blocks before parsing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

_EMPTY_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?P<head>(if|else|elif|for|while|with|try|except)\b[^\n]*:)[ \t]*\n(?P<body>(?:(?P=indent)[ \t]+#[^\n]*\n|[ \t]*\n)*)(?=(?P=indent)\S|\Z)", re.M)


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What one `s.<group>.<op>(...)` call in an example tells."""

    group: str
    operation: str
    request_type: str = ""      # e.g. "shared.ConnectionCreate" (the class the request is built from)
    request_literal: str = ""   # "str", "int", "dict", ... when the request is a literal
    keywords: tuple[str, ...] = ()
    response_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExampleFacts:
    """Package, SDK class and operation calls found in one example."""

    package: str = ""
    sdk_class: str = ""
    calls: tuple[CallFacts, ...] = ()
    error: str = ""


def close_empty_blocks(code: str) -> str:
    """Append `pass` to blocks whose body is only comments (Speakeasy's `# handle response`)."""
    return _closed(code)[0]


def _closed(code: str) -> tuple[str, list[int]]:
    """`close_empty_blocks`, and the (1-based) lines of the text where a `pass` was put."""
    text = code if code.endswith("\n") else code + "\n"
    lines: list[int] = []
    for _ in range(3):  # nested empty blocks are rare; a few passes settle them
        pieces: list[str] = []
        after: list[int] = []  # the line of this pass's text that each `pass` follows
        last = line = 0
        for match in _EMPTY_BLOCK.finditer(text):
            line += text.count("\n", last, match.end())
            pieces += (text[last:match.end()], f"{match.group('indent')}    pass\n")
            after.append(line)
            last = match.end()
        if not after:
            break
        shifted = [old + sum(1 for a in after if a < old) for old in lines]  # earlier passes' lines
        lines = sorted([*shifted, *(a + 1 + k for k, a in enumerate(after))])
        text = "".join(pieces) + text[last:]
    return text, lines


# What ast.parse raises besides SyntaxError: NUL bytes (ValueError), absurd nesting
# (RecursionError), and the parser's stack overflow on a 100 KB `------1` (MemoryError).
_PARSE_FAILURES = (ValueError, RecursionError, MemoryError)


_MEMO_LIMIT = 64 * 1024  # characters; longer (hostile) examples are not kept in memory


def parse_example(code: str) -> tuple[Optional[ast.Module], str]:
    """Parse example code; return the tree, or None and the syntax error text. The same example
    is parsed when its page is read and again when the view looks for the SDK's constructor
    keywords: trees of examples of ordinary size are kept (callers never change a tree)."""
    return _parse_memo(code) if len(code) <= _TREE_MEMO_LIMIT else _parse(code)


_TREE_MEMO_LIMIT = 16 * 1024  # characters: at most 256 trees of under ~1 MB each are kept


@lru_cache(maxsize=256)
def _parse_memo(code: str) -> tuple[Optional[ast.Module], str]:
    return _parse(code)


def _parse(code: str) -> tuple[Optional[ast.Module], str]:
    """The raw text's tree when it parses, else the closed text's (or why that does not parse).
    Most examples have an empty block: their closed text is parsed first, and its tree taken
    when every `pass` put became a statement (the raw text then has an empty block, so it
    cannot parse); a failing parse costs as much as a good one."""
    closed, added = _closed(code)
    tried = _parsed(closed) if added else None
    if tried is not None and tried[0] is not None and set(added) <= _pass_lines(tried[0]):
        return tried
    try:
        return ast.parse(code), ""
    except SyntaxError:
        pass
    except _PARSE_FAILURES as exc:
        return None, _failure(exc)
    return tried if tried is not None else _parsed(closed)


def _pass_lines(tree: ast.Module) -> set[int]:
    """The lines of the `pass` statements of a tree (statement lists only: no expression is visited)."""
    lines: set[int] = set()
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, name, ()):
                if isinstance(child, ast.Pass):
                    lines.add(child.lineno)
                else:
                    todo.append(child)
    return lines


def _parsed(code: str) -> tuple[Optional[ast.Module], str]:
    try:
        return ast.parse(code), ""
    except SyntaxError as exc:
        return None, f"line {exc.lineno}: {exc.msg}"
    except _PARSE_FAILURES as exc:
        return None, _failure(exc)


def _failure(exc: BaseException) -> str:
    """A short reason for a parse that failed without a SyntaxError."""
    return f"{type(exc).__name__}: {str(exc)[:120]}" if str(exc) else type(exc).__name__


def _dotted(node: ast.AST) -> str:
    """`a.b.c` for a chain of attributes on a name, else "" (iterative: chains can be thousands long)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _sdk_constructor(nodes: list[ast.AST]) -> tuple[str, str, set[str]]:
    """Find `s = pkg.Class(...)` / `with Class(...) as s:`; return package, class, SDK var names."""
    package, sdk_class, names = "", "", set()
    imported: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if "." not in alias.name and not package:
                    package = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                imported[alias.asname or alias.name] = node.module
    for node in nodes:
        calls: list[tuple[ast.AST, str]] = []
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            calls.append((node.value, node.targets[0].id))
        elif isinstance(node, ast.With):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    calls.append((item.context_expr, item.optional_vars.id))
        for value, var in calls:
            if not isinstance(value, ast.Call):
                continue
            func = _dotted(value.func)
            head, _, last = func.rpartition(".")
            if last[:1].isupper() and ((head and "." not in head and head not in ("shared", "operations", "errors", "utils")) or (not head and last in imported)):
                package = package or head or imported[last].split(".")[0]
                sdk_class = sdk_class or last
                names.add(var)
    return package, sdk_class, names


def _request_type(arg: ast.AST, assigned: dict[str, ast.AST]) -> tuple[str, str]:
    """Class name or literal kind of the request argument."""
    if isinstance(arg, ast.Name) and arg.id in assigned:
        arg = assigned[arg.id]
    if isinstance(arg, ast.Call):
        return _dotted(arg.func), ""
    if isinstance(arg, ast.Constant):
        return "", type(arg.value).__name__
    if isinstance(arg, (ast.Dict, ast.List)):
        return "", type(arg).__name__.lower()
    return "", ""


def _response_fields(nodes: list[ast.AST], res_var: str) -> tuple[str, ...]:
    fields: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == res_var:
            if node.attr not in fields and node.attr not in ("status_code", "content_type", "raw_response"):
                fields.append(node.attr)
    return tuple(fields)


def _call_facts(nodes: list[ast.AST], sdk_vars: set[str]) -> list[CallFacts]:
    assigned: dict[str, ast.AST] = {}
    found: list[CallFacts] = []
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, node.value)
    for node in nodes:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        parts = _dotted(node.value.func).split(".")
        if len(parts) < 2 or parts[0] not in sdk_vars:
            continue
        group, op = ".".join(parts[1:-1]), parts[-1]
        req_type, literal = ("", "")
        if node.value.args:
            req_type, literal = _request_type(node.value.args[0], assigned)
        else:
            for kw in node.value.keywords:
                if kw.arg == "request":
                    req_type, literal = _request_type(kw.value, assigned)
        target = node.targets[0]
        res_fields = _response_fields(nodes, target.id) if isinstance(target, ast.Name) else ()
        keywords = tuple(kw.arg for kw in node.value.keywords if kw.arg)
        found.append(CallFacts(group, op, req_type, literal, keywords, res_fields))
    return found




def read_python_example(code: str) -> ExampleFacts:
    """Extract package, SDK class and the operation calls from a Python example."""
    return _read_memo(code) if len(code) <= _MEMO_LIMIT else _read(code)


@lru_cache(maxsize=256)  # a group page's first example is read for its calls and for the SDK's names
def _read_memo(code: str) -> ExampleFacts:
    return _read(code)


def _read(code: str) -> ExampleFacts:
    tree, err = parse_example(code)
    if tree is None:
        return ExampleFacts(error=err)
    nodes = list(ast.walk(tree))  # one walk, in ast.walk's order, for every pass below
    package, sdk_class, sdk_vars = _sdk_constructor(nodes)
    return ExampleFacts(package=package, sdk_class=sdk_class, calls=tuple(_call_facts(nodes, sdk_vars)))
