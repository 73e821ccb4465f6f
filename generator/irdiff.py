"""`docs2sdk diff OLD NEW`: what changed between two IRs, classified for a user of the generated SDK.

OLD and NEW are each a docs tree (built with its own `docs2sdk.toml`) or an IR JSON file.
Nodes match by name: models, enums and unions by (namespace, name), fields, members and
parameters by name, operations by (group, operation). Renames are reported as a removal
plus an addition. Source spans are never compared. Each change has a level: major
(breaking), minor (new or changed surface that existing code survives) or patch
(documentation only); the report's semver bump is the highest level found.

Rules. "in" = the model is reachable from an operation's request, parameters or request
wrapper `operations.<Operation>Request`; "out" = reachable from a response, a response
attribute or an error. A model reachable from neither counts as both (the cautious choice).
Inputs may widen and outputs may narrow; the opposite directions break.

| change                                                              | level | why                             |
|---------------------------------------------------------------------|-------|---------------------------------|
| model, enum, union, group, operation or field removed               | major | code naming it fails            |
| enum member, union variant, parameter or response attribute removed | major | code naming it fails            |
| error case removed                                                  | major | `except` clauses stop firing    |
| field or parameter type changed (structural; a ref rename counts)   | major | values no longer fit            |
| enum value type, member value or union discriminator changed        | major | wire values differ              |
| field optional -> required (in); required -> optional (out)         | major | calls omit it / reads get None  |
| field nullable -> non-nullable (in); non-nullable -> nullable (out) | major | None rejected / None returned   |
| new required field (in); new required parameter; param -> required  | major | existing calls lack it          |
| wire name changed                                                   | major | JSON of one side misfits        |
| route changed or gone                                               | major | calls go elsewhere / raise      |
| request type changed, added or gone; response type changed or gone  | major | call or result shape changes    |
| api package, sdk_class or auth changed; server removed              | major | imports / constructors fail     |
| model, enum, union, group, operation, member or variant added       | minor | new surface                     |
| new optional field or parameter; new required field (out only)      | minor | existing code unaffected        |
| the other directions of the required and nullable rules             | minor | widened input / narrowed output |
| response or response attribute becomes typed; route added           | minor | was untyped / used to raise     |
| error case added; server added; retries changed                     | minor | behaviour added                 |
| deprecated or undeprecated                                          | minor | still works (semver: minor)     |
| description, example, summary, example code, api title              | patch | docstrings only                 |

Response attributes of an operation are compared only when its response model is not
defined on both sides (otherwise the model's fields say the same thing once).

Exit codes of `run_diff`: 0 when the report was produced (with or without differences),
1 only with `fail_on="breaking"` and at least one breaking change, 2 when an input cannot
be read (missing path, invalid JSON or IR, bad configuration, bad option), 3 when a docs
tree has error diagnostics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from . import ir
from .config import ConfigError, find_config
from .diagnostics import ExitCode, Severity
from .irdiff_compare import (
    MAJOR, MINOR, PATCH, REQUEST, RESPONSE, Change, Key, Uses, doc, enum_changes, model_changes, named_changes, pair,
    union_changes,
)
from .irdiff_operations import operation_changes
from .naming import to_pascal
from .pipeline import build_schema

__all__ = [
    "Change", "DiffInputError", "Report", "diff_schemas", "load_side", "render_json", "render_text", "run_diff",
]

FORMATS = ("text", "json")
FAIL_ON = ("breaking",)
_LEVEL_TITLES = ((MAJOR, "Breaking changes"), (MINOR, "Non-breaking changes"), (PATCH, "Documentation changes"))
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True, slots=True)
class Report:
    """The classified changes between two IRs, in stable order."""

    changes: tuple[Change, ...] = ()

    @property
    def breaking(self) -> int:
        """How many changes break existing user code."""
        return sum(1 for c in self.changes if c.breaking)

    @property
    def bump(self) -> str:
        """The semver bump the changes call for: major | minor | patch | none."""
        levels = {c.level for c in self.changes}
        return next((level for level in (MAJOR, MINOR, PATCH) if level in levels), "none")

    def to_dict(self) -> dict[str, Any]:
        """JSON form: {"bump", "breaking", "changes"}."""
        return {"bump": self.bump, "breaking": self.breaking, "changes": [c.to_dict() for c in self.changes]}


class DiffInputError(Exception):
    """An input of `diff` that cannot be used; raised by `load_side`, caught only by `run_diff`.

    `exit_code` is ExitCode.USAGE (unreadable input) or ExitCode.DOCS_ERRORS (docs errors).
    """

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def _uses_of(schema: ir.Schema) -> dict[str, set[Key]]:
    """Which named types each side of the operations reaches, through fields and union variants."""
    children: dict[Key, list[ir.TypeRef]] = {(m.namespace, m.name): [f.type for f in m.fields] for m in schema.models}
    children.update({(u.namespace, u.name): list(u.variants) for u in schema.unions})
    roots: dict[str, list[ir.TypeRef]] = {REQUEST: [], RESPONSE: []}
    for op in (op for group in schema.groups for op in group.operations):
        wrapper = ir.ref(to_pascal(op.name) + "Request", "operations")  # Speakeasy's parameter wrapper
        roots[REQUEST] += [t for t in (op.request,) if t] + [p.type for p in op.parameters] + [wrapper]
        roots[RESPONSE] += [t for t in (op.response,) if t] + [r.type for r in op.response_fields if r.type]
        roots[RESPONSE] += [e.type for e in op.errors]
    return {side: _reach(types, children) for side, types in roots.items()}


def _reach(roots: Iterable[ir.TypeRef], children: dict[Key, list[ir.TypeRef]]) -> set[Key]:
    """Named types reachable from `roots`; a ref without namespace matches that name anywhere."""
    seen: set[Key] = set()
    todo = list(roots)
    while todo:
        for node in todo.pop().refs():
            keys = [(node.namespace, node.name)] if node.namespace else [k for k in children if k[1] == node.name]
            for key in keys:
                if key in children and key not in seen:
                    seen.add(key)
                    todo.extend(children[key])
    return seen


def _uses(key: Key, old: dict[str, set[Key]], new: dict[str, set[Key]]) -> Uses:
    """How a model is used on either side; unused models count as both (the conservative choice)."""
    found = frozenset(side for side in (REQUEST, RESPONSE) if key in old[side] or key in new[side])
    return found or frozenset({REQUEST, RESPONSE})


def _api_changes(old: ir.Api, new: ir.Api) -> Iterator[Change]:
    """API-wide facts: names that user code imports, auth, servers, retries, title."""
    for kind, before, after in (("package", old.package, new.package), ("sdk_class", old.sdk_class, new.sdk_class)):
        if before != after:
            yield Change(kind, "changed", f"api.{kind}", MAJOR, "imports or constructors that name it fail",
                         before, after)
    auth = [", ".join(sorted(f"{a.scheme} {a.header} {a.prefix}".strip() for a in api.auth)) for api in (old, new)]
    if auth[0] != auth[1]:
        yield Change("auth", "changed", "api.auth", MAJOR, "the SDK's security arguments changed", auth[0], auth[1])
    removed, added, _ = pair(old.servers, new.servers, lambda s: s.url)
    for server in removed:
        yield Change("server", "removed", f"api.servers[{server.url}]", MAJOR, "code that selects this server fails")
    for server in added:
        yield Change("server", "added", f"api.servers[{server.url}]", MINOR, "new server")
    retries = [json.dumps(api.retries.to_dict(), sort_keys=True) for api in (old, new)]
    if retries[0] != retries[1]:
        yield Change("retries", "changed", "api.retries", MINOR, "the default retry behaviour changed", *retries)
    yield from doc("title", "api.title", old.title, new.title)
    yield from doc("description", "api.description", old.description, new.description)


def _group_changes(old: ir.Schema, new: ir.Schema) -> Iterator[Change]:
    """Resource groups matched by name, then their operations by name."""
    both = {(m.namespace, m.name) for m in old.models} & {(m.namespace, m.name) for m in new.models}
    removed, added, kept = pair(old.groups, new.groups, lambda g: g.name)
    for group in removed:
        yield Change("group", "removed", group.name or "(root)", MAJOR, "the SDK attribute and its methods are gone")
    for group in added:
        yield Change("group", "added", group.name or "(root)", MINOR, "new resource group")
    for before, after in kept:
        yield from doc("description", before.name or "(root)", before.description, after.description)
        gone, new_ops, same = pair(before.operations, after.operations, lambda o: o.name)
        prefix = f"{before.name}." if before.name else ""
        for op in gone:
            yield Change("operation", "removed", prefix + op.name, MAJOR, "the method is gone: calls to it fail")
        for op in new_ops:
            yield Change("operation", "added", prefix + op.name, MINOR, "new method")
        for a, b in same:
            modelled = all(t is not None and t.kind == "ref" and (t.namespace, t.name) in both
                           for t in (a.response, b.response))
            yield from operation_changes(prefix + a.name, a, b, modelled)


def diff_schemas(old: ir.Schema, new: ir.Schema) -> Report:
    """Every classified difference from `old` to `new`, sorted by path."""
    old_uses, new_uses = _uses_of(old), _uses_of(new)
    changes: list[Change] = [*_api_changes(old.api, new.api), *_group_changes(old, new)]
    changes += named_changes("model", old.models, new.models,
                             lambda a, b: model_changes(a, b, _uses((a.namespace, a.name), old_uses, new_uses)))
    changes += named_changes("enum", old.enums, new.enums, enum_changes)
    changes += named_changes("union", old.unions, new.unions, union_changes)
    return Report(tuple(sorted(changes, key=Change.sort_key)))


def _one_line(text: str, limit: int = 60) -> str:
    """Whitespace folded, clipped for a text line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _render_change(change: Change) -> str:
    """`  ~ type shared.Book.year: integer -> string; the field's type changed`."""
    values = ""
    if change.action == "changed" and change.level == PATCH:  # prose: quoted and clipped
        values = f": {_one_line(change.old or '')!r} -> {_one_line(change.new or '')!r}"
    elif change.action == "changed" and (change.old is not None or change.new is not None):
        values = f": {change.old} -> {change.new}"
    elif change.old or change.new:
        values = f" ({change.old or change.new})"
    return f"  {_SIGNS.get(change.action, '?')} {change.kind} {change.path}{values}; {change.reason}"


def render_text(report: Report) -> str:
    """Changes grouped by level (breaking first), then a summary line with the bump."""
    lines: list[str] = []
    for level, title in _LEVEL_TITLES:
        found = [c for c in report.changes if c.level == level]
        if found:
            lines += [f"{title} ({len(found)}):", *(_render_change(c) for c in found), ""]
    if not report.changes:
        return "no changes -> none\n"
    non_breaking = len(report.changes) - report.breaking
    lines.append(f"{report.breaking} breaking, {non_breaking} non-breaking changes -> {report.bump}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """Deterministic JSON: sorted keys, 2-space indent, newline at end."""
    return json.dumps(report.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _load_ir(path: Path) -> ir.Schema:
    """An IR JSON file; every failure becomes a DiffInputError (exit 2)."""
    try:
        return ir.load_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DiffInputError(f"{path}: cannot read the IR file ({exc.strerror})", ExitCode.USAGE) from None
    except UnicodeDecodeError:
        raise DiffInputError(f"{path}: the IR file is not UTF-8", ExitCode.USAGE) from None
    except json.JSONDecodeError as exc:
        raise DiffInputError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})", ExitCode.USAGE) from None
    except ValueError as exc:  # an unknown ir_version
        raise DiffInputError(f"{path}: {exc}", ExitCode.USAGE) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise DiffInputError(f"{path}: not an IR document (bad or missing {exc})", ExitCode.USAGE) from None


def _load_docs(path: Path) -> ir.Schema:
    """A docs tree (or page) with the configuration found beside it."""
    try:
        config = find_config([str(path)], None)
    except ConfigError as exc:
        raise DiffInputError(f"error[config]: {exc}", ExitCode.USAGE) from None
    return build_schema([str(path)], config)


def load_side(path: str) -> ir.Schema:
    """OLD or NEW of `diff`: an IR JSON file (`*.json`) or a docs tree; raises DiffInputError."""
    where = Path(path)
    if not where.exists():
        raise DiffInputError(f"{path}: no such file or directory", ExitCode.USAGE)
    schema = _load_ir(where) if where.is_file() and where.suffix == ".json" else _load_docs(where)
    errors = [d for d in schema.diagnostics if d.severity is Severity.ERROR]
    if any(d.code == "E001" for d in errors):
        raise DiffInputError("\n".join(d.render() for d in errors), ExitCode.USAGE)
    if errors:
        lines = [d.render() for d in errors] + [f"docs2sdk diff: {len(errors)} error(s) in {path}"]
        raise DiffInputError("\n".join(lines), ExitCode.DOCS_ERRORS)
    return schema


def run_diff(old: str, new: str, fmt: str = "text", fail_on: Optional[str] = None) -> tuple[str, int]:
    """The whole `diff` command as a pure function: (output text, exit code).

    On exit codes 0 and 1 the text is the report (stdout); on 2 and 3 it is an error
    message (stderr).
    """
    if fmt not in FORMATS:
        return f"error[usage]: --format {fmt!r}; use one of {', '.join(FORMATS)}\n", int(ExitCode.USAGE)
    if fail_on is not None and fail_on not in FAIL_ON:
        return f"error[usage]: --fail-on {fail_on!r}; use one of {', '.join(FAIL_ON)}\n", int(ExitCode.USAGE)
    try:
        before, after = load_side(old), load_side(new)
    except DiffInputError as exc:
        return exc.message + "\n", int(exc.exit_code)
    report = diff_schemas(before, after)
    text = render_json(report) if fmt == "json" else render_text(report)
    failed = fail_on == "breaking" and report.breaking > 0
    return text, int(ExitCode.DIFFERENCES if failed else ExitCode.OK)
