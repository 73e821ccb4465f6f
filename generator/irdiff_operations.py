"""The comparison rules of `docs2sdk diff` for operations: request and response types, routes,
transport (headers, pagination), parameters, errors and response attributes. The rules and
the reasons behind their classification are listed in `irdiff`'s module docstring."""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from . import ir
from .irdiff_compare import (MAJOR, MINOR, PATCH, REQUEST, Change, deprecation, doc, pair, render_type, required,
                             type_key)


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
