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
