"""The comparison rules of `docs2sdk diff`: one small function per IR node kind, yielding Changes.

Every rule and the reason behind its classification is listed in `irdiff`'s module
docstring; this module only applies them. Nodes are matched by name, never by likeness:
a rename is reported as a removal plus an addition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

from . import ir

MAJOR, MINOR, PATCH = "major", "minor", "patch"
REQUEST, RESPONSE = "request", "response"
Key = tuple[str, str]
Uses = frozenset[str]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two IRs, classified for a user of the generated SDK.

    `level` is the semver part the change calls for: major (breaking), minor (new or
    changed surface that existing code survives) or patch (documentation only).
    """

    kind: str
    action: str  # added | removed | changed
    path: str
    level: str
    reason: str
    old: Optional[str] = None
    new: Optional[str] = None

    @property
    def breaking(self) -> bool:
        """True when code written against the old SDK can fail with the new one."""
        return self.level == MAJOR

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Order by path first, so a node's changes sit together."""
        return (self.path, self.kind, self.action, self.old or "", self.new or "")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"kind": self.kind, "action": self.action, "path": self.path, "old": self.old,
                "new": self.new, "breaking": self.breaking, "level": self.level, "reason": self.reason}


def render_type(node: Optional[ir.TypeRef]) -> str:
    """A type tree in Python-like notation (`list[shared.Book]`), or `(none)`."""
    if node is None:
        return "(none)"
    if node.kind == "ref":
        return f"{node.namespace}.{node.name}" if node.namespace else node.name
    if node.kind == "list":
        return f"list[{render_type(node.items)}]"
    if node.kind == "map":
        return f"dict[str, {render_type(node.values)}]"
    if node.kind == "union":
        return "Union[" + ", ".join(render_type(v) for v in node.variants) + "]"
    if node.kind == "literal":
        return f"Literal[{json.dumps(node.value)}]"
    return node.kind


def type_key(node: Optional[ir.TypeRef]) -> str:
    """Structural identity of a type tree (its canonical JSON); refs compare by namespace and name."""
    return json.dumps(node.to_dict(), sort_keys=True) if node is not None else ""


def pair(old: Iterable[T], new: Iterable[T], key: Callable[[T], str]) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """Match two collections by key: (removed, added, matched pairs), each in key order."""
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    kept = [(before[k], after[k]) for k in sorted(before.keys() & after.keys())]
    return removed, added, kept


def qualified(namespace: str, name: str) -> str:
    """`shared.Book`, or `Book` when the namespace is empty."""
    return f"{namespace}.{name}" if namespace else name


def doc(kind: str, path: str, old: str, new: str) -> Iterator[Change]:
    """A documentation-only difference (description, example, summary): patch."""
    if old != new:
        yield Change(kind, "changed", path, PATCH, f"the {kind} text changed", old, new)


def deprecation(path: str, old: bool, new: bool) -> Iterator[Change]:
    """Deprecating (or un-deprecating) changes no behaviour: minor, never breaking."""
    if old != new:
        reason = "marked deprecated; it still works" if new else "no longer deprecated"
        yield Change("deprecated", "changed", path, MINOR, reason, str(old).lower(), str(new).lower())


def required(path: str, old: bool, new: bool, uses: Uses) -> Iterator[Change]:
    """Required-ness: narrowing inputs or widening outputs breaks; the opposite does not."""
    if old == new:
        return
    if new:
        breaking = REQUEST in uses
        reason = ("now required: calls that omit it fail" if breaking
                  else "now always present in responses")
    else:
        breaking = RESPONSE in uses
        reason = ("now optional in responses: code that assumes a value may get None" if breaking
                  else "now optional: callers may omit it")
    names = {True: "required", False: "optional"}
    yield Change("required", "changed", path, MAJOR if breaking else MINOR, reason, names[old], names[new])


def nullable(path: str, old: bool, new: bool, uses: Uses) -> Iterator[Change]:
    """Nullability: non-nullable inputs and nullable outputs are the breaking directions."""
    if old == new:
        return
    breaking = RESPONSE in uses if new else REQUEST in uses
    if new:
        reason = "may now be None in responses" if breaking else "now accepts None"
    else:
        reason = "no longer accepts None" if breaking else "never None in responses any more"
    names = {True: "nullable", False: "non-nullable"}
    yield Change("nullable", "changed", path, MAJOR if breaking else MINOR, reason, names[old], names[new])


def render_field(field: ir.Field) -> str:
    """A field's type with its flags: `string, optional, nullable`."""
    flags = ("" if field.required else ", optional") + (", nullable" if field.nullable else "")
    return render_type(field.type) + flags


def field_added(path: str, field: ir.Field, uses: Uses) -> Change:
    """A new field breaks callers only when it is required and the model is a request input."""
    if field.required and REQUEST in uses:
        return Change("field", "added", path, MAJOR, "new required field: calls that build the model without it fail",
                      new=render_field(field))
    return Change("field", "added", path, MINOR, "new field", new=render_field(field))


def field_changes(path: str, old: ir.Field, new: ir.Field, uses: Uses) -> Iterator[Change]:
    """Differences of one field matched by name."""
    if type_key(old.type) != type_key(new.type):
        yield Change("type", "changed", path, MAJOR, "the field's type changed",
                     render_type(old.type), render_type(new.type))
    yield from required(path, old.required, new.required, uses)
    yield from nullable(path, old.nullable, new.nullable, uses)
    if old.wire_name != new.wire_name:
        yield Change("wire_name", "changed", path, MAJOR,
                     "the JSON key changed: payloads of one side do not fit the other", old.wire_name, new.wire_name)
    yield from deprecation(path, old.deprecated, new.deprecated)
    yield from doc("description", path, old.description, new.description)
    yield from doc("example", path, old.example, new.example)


def model_changes(old: ir.Model, new: ir.Model, uses: Uses) -> Iterator[Change]:
    """Differences of one model matched by (namespace, name)."""
    path = qualified(old.namespace, old.name)
    yield from doc("description", path, old.description, new.description)
    yield from deprecation(path, old.deprecated, new.deprecated)
    removed, added, kept = pair(old.fields, new.fields, lambda f: f.name)
    for field in removed:
        yield Change("field", "removed", f"{path}.{field.name}", MAJOR,
                     "the attribute is gone: code that sets or reads it fails", old=render_field(field))
    for field in added:
        yield field_added(f"{path}.{field.name}", field, uses)
    for before, after in kept:
        yield from field_changes(f"{path}.{before.name}", before, after, uses)


def enum_changes(old: ir.Enum, new: ir.Enum) -> Iterator[Change]:
    """Differences of one enum matched by (namespace, name); members match by name."""
    path = qualified(old.namespace, old.name)
    if old.value_type != new.value_type:
        yield Change("type", "changed", path, MAJOR, "the enum's value type changed", old.value_type, new.value_type)
    yield from doc("description", path, old.description, new.description)
    yield from deprecation(path, old.deprecated, new.deprecated)
    removed, added, kept = pair(old.members, new.members, lambda m: m.name)
    for member in removed:
        yield Change("member", "removed", f"{path}.{member.name}", MAJOR,
                     "the member is gone: code that names it fails", old=json.dumps(member.value))
    for member in added:
        yield Change("member", "added", f"{path}.{member.name}", MINOR, "new member", new=json.dumps(member.value))
    for before, after in kept:
        member_path = f"{path}.{before.name}"
        if before.value != after.value:
            yield Change("value", "changed", member_path, MAJOR, "the member's wire value changed",
                         json.dumps(before.value), json.dumps(after.value))
        yield from deprecation(member_path, before.deprecated, after.deprecated)


def union_changes(old: ir.Union, new: ir.Union) -> Iterator[Change]:
    """Differences of one union matched by (namespace, name); variants match structurally."""
    path = qualified(old.namespace, old.name)
    yield from doc("description", path, old.description, new.description)
    if old.discriminator != new.discriminator:
        yield Change("discriminator", "changed", path, MAJOR, "values are told apart by another property",
                     old.discriminator or "(none)", new.discriminator or "(none)")
    removed, added, _ = pair(old.variants, new.variants, type_key)
    for variant in removed:
        yield Change("variant", "removed", f"{path}[{render_type(variant)}]", MAJOR,
                     "the union lost a variant: values of that type no longer fit", old=render_type(variant))
    for variant in added:
        yield Change("variant", "added", f"{path}[{render_type(variant)}]", MINOR, "new variant",
                     new=render_type(variant))


def named_changes(kind: str, old: Iterable[Any], new: Iterable[Any],
                  compare: Callable[[Any, Any], Iterator[Change]]) -> Iterator[Change]:
    """Models, enums or unions of two IRs matched by (namespace, name)."""
    removed, added, kept = pair(old, new, lambda n: f"{n.namespace}\0{n.name}")
    for node in removed:
        yield Change(kind, "removed", qualified(node.namespace, node.name), MAJOR,
                     f"the {kind} is gone: code that imports or uses it fails")
    for node in added:
        yield Change(kind, "added", qualified(node.namespace, node.name), MINOR, f"new {kind}")
    for before, after in kept:
        yield from compare(before, after)


def io_changes(kind: str, path: str, old: Optional[ir.TypeRef], new: Optional[ir.TypeRef]) -> Iterator[Change]:
    """A request, response or response attribute type; an output that becomes typed is not breaking."""
    if type_key(old) == type_key(new):
        return
    noun = "response attribute" if kind == "response_field" else kind
    if old is None and kind != "request":
        level, reason = MINOR, f"the {noun} is now typed"
    elif old is None:
        level, reason = MAJOR, "the method now takes a request argument"
    elif new is None:
        level, reason = MAJOR, f"the {noun} type is gone"
    else:
        level, reason = MAJOR, f"the {noun} type changed"
    yield Change(kind, "changed", path, level, reason, render_type(old), render_type(new))


def route_changes(path: str, old: Optional[ir.Route], new: Optional[ir.Route]) -> Iterator[Change]:
    """HTTP method and path: a new route is minor (the method used to raise), any other change breaks."""
    before = f"{old.method} {old.path}" if old else "(none)"
    after = f"{new.method} {new.path}" if new else "(none)"
    if before == after:
        return
    if old is None:
        level, reason = MINOR, "the operation now has a route (calling it used to raise)"
    else:
        gone = new is None
        level, reason = MAJOR, "the route is gone: calling it now raises" if gone else "the HTTP method or path changed"
    yield Change("route", "changed", path, level, reason, before, after)


def _paging_text(p: Optional[ir.Pagination]) -> str:
    if p is None:
        return ""
    return (f"{p.kind} over {p.input}, results {'.'.join(p.results) or 'the body'}"
            + (f", next {'.'.join(p.next)}" if p.next else "") + (f", page size {p.limit}" if p.limit else ""))


def transport_changes(path: str, old: ir.Operation, new: ir.Operation) -> Iterator[Change]:
    """Inputs moving between query and headers (the server reads them elsewhere: breaking, like a wire
    name), and `Next()` appearing (minor), disappearing (breaking) or paging differently (minor)."""
    before = {h.name: h.header for h in (old.route.headers if old.route else ())}
    after = {h.name: h.header for h in (new.route.headers if new.route else ())}
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            yield Change("header", "changed", f"{path}({name})", MAJOR, "the input travels differently "
                         "(query parameter or header name): the server reads it elsewhere",
                         before.get(name) or "(query)", after.get(name) or "(query)")
    was, now = _paging_text(old.pagination), _paging_text(new.pagination)
    if was == now:
        return
    if old.pagination is None:
        yield Change("pagination", "added", path, MINOR, "responses gain Next()", new=now)
    elif new.pagination is None:
        yield Change("pagination", "removed", path, MAJOR, "responses lose Next(): code that calls it fails", old=was)
    else:
        yield Change("pagination", "changed", path, MINOR, "Next() asks for the following page differently", was, now)


def parameter_changes(path: str, old: Iterable[ir.Parameter], new: Iterable[ir.Parameter]) -> Iterator[Change]:
    """Method parameters matched by name; they are inputs, so only widening is safe."""
    removed, added, kept = pair(old, new, lambda p: p.name)
    for param in removed:
        yield Change("parameter", "removed", f"{path}({param.name})", MAJOR,
                     "the parameter is gone: calls that pass it fail", old=render_type(param.type))
    for param in added:
        if param.required:
            yield Change("parameter", "added", f"{path}({param.name})", MAJOR,
                         "new required parameter: calls without it fail", new=render_type(param.type))
        else:
            yield Change("parameter", "added", f"{path}({param.name})", MINOR, "new optional parameter",
                         new=render_type(param.type))
    for before, after in kept:
        where = f"{path}({before.name})"
        if type_key(before.type) != type_key(after.type):
            yield Change("type", "changed", where, MAJOR, "the parameter's type changed",
                         render_type(before.type), render_type(after.type))
        yield from required(where, before.required, after.required, frozenset({REQUEST}))
        yield from doc("description", where, before.description, after.description)
        yield from doc("example", where, before.example, after.example)


def error_changes(path: str, old: Iterable[ir.ErrorCase], new: Iterable[ir.ErrorCase]) -> Iterator[Change]:
    """Error cases matched by (status, type): a lost case breaks `except` clauses written for it."""
    removed, added, _ = pair(old, new, lambda e: f"{e.status} {render_type(e.type)}")
    for case in removed:
        yield Change("error", "removed", f"{path}.errors[{case.status}]", MAJOR,
                     "the method no longer raises this error type: except clauses for it stop matching",
                     old=render_type(case.type))
    for case in added:
        yield Change("error", "added", f"{path}.errors[{case.status}]", MINOR, "the method raises a new error type",
                     new=render_type(case.type))


def response_field_changes(path: str, old: Iterable[ir.ResponseField],
                           new: Iterable[ir.ResponseField]) -> Iterator[Change]:
    """Typed response body fields, matched by name (used when no response model says it)."""
    removed, added, kept = pair(old, new, lambda r: r.name)
    for item in removed:
        yield Change("response_field", "removed", f"{path}.response.{item.name}", MAJOR,
                     "the response attribute is gone: code that reads it fails", old=render_type(item.type))
    for item in added:
        yield Change("response_field", "added", f"{path}.response.{item.name}", MINOR, "new response attribute",
                     new=render_type(item.type))
    for before, after in kept:
        yield from io_changes("response_field", f"{path}.response.{before.name}", before.type, after.type)
        yield from doc("description", f"{path}.response.{before.name}", before.description, after.description)


def operation_changes(path: str, old: ir.Operation, new: ir.Operation, modelled: bool) -> Iterator[Change]:
    """Differences of one operation; `modelled` when its response model is compared as a model."""
    yield from io_changes("request", path, old.request, new.request)
    yield from io_changes("response", path, old.response, new.response)
    yield from route_changes(path, old.route, new.route)
    yield from transport_changes(path, old, new)
    yield from parameter_changes(path, old.parameters, new.parameters)
    yield from error_changes(path, old.errors, new.errors)
    if not modelled:
        yield from response_field_changes(path, old.response_fields, new.response_fields)
    yield from deprecation(path, old.deprecated, new.deprecated)
    yield from doc("summary", path, old.summary, new.summary)
    yield from doc("description", path, old.description, new.description)
    if [(e.language, e.code) for e in old.examples] != [(e.language, e.code) for e in new.examples]:
        yield Change("example", "changed", path, PATCH, "the example code changed")
