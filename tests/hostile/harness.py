"""The fuzz oracle: run one docs tree through build_schema and list every broken invariant.

Invariants: build_schema never raises (diagnostics only) and finishes within a CPU-time
budget; every diagnostic has a registered code, a file (global ones excepted) and a line
inside its page, and so has every IR span; the IR validates against
generator/ir_schema.json, is strict UTF-8 JSON and round-trips through
`ir.load_json(ir.dump_json(...))`; a second run gives the same JSON. Names the SDK
generator will turn into identifiers are not silently duplicated, empty, or collapsed
onto one JSON wire name. (When `docs2sdk generate` lands, its checks belong in
`check_case` too: the generated package imports and type-checks.)

Findings whose signature matches a bug already pinned by a strict-xfail test are marked
`known` (with the test's name), so the seeded pytest run stays green until the lead
fixes them, while the long run still counts them.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, TypeVar

from generator import ir
from generator.config import Config
from generator.pipeline import build_schema
from generator.reader import markdown_blocks
from generator.reader_fast import fast_blocks

from .builders import diagnostic_problems, strict_json
from .sources import Case

T = TypeVar("T")
GENERATOR = str(Path(__file__).resolve().parents[2] / "generator")


class CaseTimeout(Exception):
    """Raised by the alarm when one case runs longer than its budget (a hang)."""


@dataclass(frozen=True)
class Finding:
    """One broken invariant: `signature` groups equal bugs; `known` names the xfail test that pins it."""

    kind: str
    signature: str
    detail: str
    known: str = ""


# (xfail test that pins the bug, predicate on a finding). Keep these narrow: a new bug
# must never hide behind a known signature.
KNOWN: list[tuple[str, Callable[[Finding], bool]]] = [
    # Every reader/extraction bug pinned so far is fixed; add (test, predicate) pairs here for
    # new ones while their strict-xfail test is open.
]


def classify(finding: Finding) -> Finding:
    """Attach the name of the xfail test that already pins this bug, if any."""
    for test, matches in KNOWN:
        if matches(finding):
            return Finding(finding.kind, finding.signature, finding.detail, test)
    return finding


def _where(exc: BaseException) -> str:
    """`file:function` of the innermost generator frame (the most repeated one for recursion)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(GENERATOR)]
    if not frames:
        return "outside generator/"
    if isinstance(exc, RecursionError):
        names = [f"{_rel(f.filename)}:{f.name}" for f in frames]
        return max(sorted(set(names)), key=names.count)
    return f"{_rel(frames[-1].filename)}:{frames[-1].name}"


def _rel(filename: str) -> str:
    return Path(os.path.relpath(filename, Path(GENERATOR).parent)).as_posix()


def write_case(pages: Case, root: Path) -> Path:
    """Write a case's pages under root."""
    for rel, data in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _line_counts(pages: Case) -> dict[str, int]:
    counts = {}
    for rel, data in pages.items():
        text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
        counts[rel] = text.count("\n") + 1
    return counts


def _spans(data: object) -> Iterator[dict[str, object]]:
    """Every `source`/`referenced_from` span in IR JSON (type trees hold none, so they are skipped)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("type", "items", "values", "variants", "request", "response"):
                    continue
                if key == "source" and isinstance(value, dict):
                    yield value
                elif key == "referenced_from" and isinstance(value, list):
                    yield from value
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


WALL_FACTOR = 6  # a blocked read uses no CPU: the wall-clock alarm catches it, with room for a busy machine


def _run(root: Path, timeout: float) -> ir.Schema:
    """build_schema under the alarms of `_timed`."""
    return _timed(lambda: build_schema([str(root)], Config()), timeout)


def _timed(call: Callable[[], T], timeout: float) -> T:
    """`call()` under two alarms: `timeout` seconds of CPU time, and WALL_FACTOR times that of wall time.

    CPU time keeps the verdict independent of machine load; the wall alarm catches blocking
    reads. Both signals interrupt regex scans and blocked opens.
    """
    use_alarm = timeout > 0 and hasattr(signal, "setitimer") and _main_thread()
    if use_alarm:
        def on_alarm(signum: int, _frame: object) -> None:
            clock = "CPU" if signum == signal.SIGVTALRM else "wall-clock"
            raise CaseTimeout(f"no result after {timeout if clock == 'CPU' else timeout * WALL_FACTOR}s of {clock} time")
        previous = (signal.signal(signal.SIGALRM, on_alarm), signal.signal(signal.SIGVTALRM, on_alarm))
        signal.setitimer(signal.ITIMER_VIRTUAL, timeout)
        signal.setitimer(signal.ITIMER_REAL, timeout * WALL_FACTOR)
    try:
        return call()
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGALRM, previous[0])
            signal.signal(signal.SIGVTALRM, previous[1])


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()


def _ir_problems(schema: ir.Schema, pages: Case) -> list[Finding]:
    from conftest import ir_validator

    found = [Finding("diagnostic", p.split(":", 1)[0], p) for p in diagnostic_problems(schema, _line_counts(pages))]
    text = ir.dump_json(schema)
    try:
        text.encode("utf-8")
        data = strict_json(text)
    except (UnicodeEncodeError, ValueError) as exc:
        return found + [Finding("not-json", f"not-json: {str(exc)[:60]}", str(exc))]
    try:
        errors = list(ir_validator().iter_errors(data))
    except RecursionError:
        return found + [Finding("validator-recursion", "validator-recursion", "the IR nests too deep to validate")]
    for error in errors[:3]:
        path = ".".join(str(p) for p in error.path if not isinstance(p, int))
        found.append(Finding("invalid-ir", f"invalid-ir at {path}", f"{list(error.path)}: {error.message[:300]}"))
    counts = _line_counts(pages)
    for span in _spans(data):
        file, line = span.get("file", ""), span.get("line", 0)
        if isinstance(line, int) and file in counts and not 0 <= line <= counts[str(file)] + 1:
            found.append(Finding("span", "span line outside its page", f"{file}:{line} ({counts[str(file)]} lines)"))
    if ir.load_json(text) != schema:
        found.append(Finding("round-trip", "round-trip", "ir.load_json(ir.dump_json(schema)) != schema"))
    return found


def _letters(name: str) -> str:
    """The letters and digits of a name, case and accents aside (`ß́` and `SŚ` are both `ss`):
    decomposed after case folding, so combining marks fall away whichever case they rode on."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if ch.isalnum())


def _name_problems(schema: ir.Schema) -> list[Finding]:
    """Names the generator will turn into identifiers: no silent duplicates, collisions or empties."""
    flagged = {(d.file, d.line) for d in schema.diagnostics if d.severity.value in ("error", "warning")}
    empty = {(d.file, d.line) for d in schema.diagnostics if d.code == "E104"}
    found: list[Finding] = []

    def duplicates(what: str, items: list[tuple[str, ir.Span]]) -> None:
        seen: set[str] = set()
        for name, span in items:
            if name in seen and (span.file, span.line) not in flagged:
                found.append(Finding("names", f"duplicate {what} name without a diagnostic", f"{name!r} at {span.file}:{span.line}"))
            seen.add(name)

    def not_empty(name: str, span: ir.Span) -> None:
        if not name.strip() and (span.file, span.line) not in empty:
            found.append(Finding("names", "empty name without E104", f"at {span.file}:{span.line}"))

    for model in schema.models:
        not_empty(model.name, model.source)
        duplicates("field", [(f.name, f.source) for f in model.fields])
        wires: dict[str, ir.Field] = {}
        for f in model.fields:
            other = wires.setdefault(f.wire_name, f)
            if other is not f and other.name != f.name and not {(f.source.file, f.source.line), (other.source.file, other.source.line)} & flagged:
                found.append(Finding("names", "wire-name collision without a diagnostic", f"{other.name!r} and {f.name!r} -> {f.wire_name!r}"))
            if schema.api.naming == "camel" and _letters(f.wire_name) != _letters(f.name):
                found.append(Finding("names", "wire name drops letters of the field name", f"{f.name!r} -> {f.wire_name!r}"))
    for enum in schema.enums:
        not_empty(enum.name, enum.source)
        duplicates("enum member", [(m.name, m.source) for m in enum.members])
        for member in enum.members:
            not_empty(member.name, member.source)
    for union in schema.unions:
        not_empty(union.name, union.source)
        if not union.variants and not any(d.file == union.source.file for d in schema.diagnostics
                                          if d.severity.value in ("error", "warning")):
            found.append(Finding("names", "union without variants and no diagnostic", f"{union.name!r} at {union.source.file}"))
    for group in schema.groups:
        duplicates("operation", [(o.name, o.source) for o in group.operations])
        for op in group.operations:
            not_empty(op.name, op.source)
    return found


def _generate_problems(schema: ir.Schema, timeout: float) -> list[Finding]:
    """Opt-in: the SDK generator on an error-free IR: no exception, and every .py file compiles."""
    from generator.format import FormatError  # imported on demand: the generator is still being written
    from generator.generate import generate

    try:
        result = _timed(lambda: generate(schema), timeout)
    except CaseTimeout as exc:
        return [Finding("timeout", f"timeout in {_where(exc)} (generate)", str(exc))]
    except FormatError as exc:
        return [Finding("generate", "generated code is not valid Python (FormatError)", str(exc)[:500])]
    except Exception as exc:  # noqa: BLE001 - the oracle reports any exception as a finding
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
        return [Finding("generate", f"{type(exc).__name__} in {_where(exc)} (generate)", detail)]
    found = []
    for path, text in sorted(result.files.items()):
        if path.endswith(".py"):
            try:
                compile(text, path, "exec")
            except (SyntaxError, ValueError) as exc:
                found.append(Finding("generate", "a generated file does not compile", f"{path}: {exc}"))
    return found


def _reader_problems(pages: Case) -> list[Finding]:
    """The fast reader gives markdown-it's blocks wherever it gives any (reader_fast)."""
    found = []
    for rel, data in pages.items():
        try:  # as discover.read_text reads a page
            text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
        fast = fast_blocks(text)
        if fast is not None and fast != markdown_blocks(text):
            found.append(Finding("reader", "reader_fast differs from markdown-it", rel))
    return found


def check_case(pages: Case, timeout: float = 30.0, workdir: Optional[Path] = None,
               generate: bool = False) -> list[Finding]:
    """All broken invariants for one docs tree (an empty list when it is sound); `generate` also runs the SDK generator."""
    root = Path(tempfile.mkdtemp(prefix="docs2sdk-fuzz-", dir=workdir))
    try:
        write_case(pages, root / "api")
        try:
            schema = _run(root / "api", timeout)
            again = _run(root / "api", timeout)
        except CaseTimeout as exc:
            return [classify(Finding("timeout", f"timeout in {_where(exc)}", str(exc)))]
        except Exception as exc:  # noqa: BLE001 - the oracle reports any exception as a finding
            where = _where(exc)
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
            return [classify(Finding("exception", f"{type(exc).__name__} in {where}", detail))]
        found = _ir_problems(schema, pages) + _name_problems(schema) + _reader_problems(pages)
        if ir.dump_json(again) != ir.dump_json(schema):
            found.append(Finding("nondeterministic", "nondeterministic", "two runs gave different IR"))
        if generate and not found and not any(d.severity.value == "error" for d in schema.diagnostics):
            found.extend(_generate_problems(schema, timeout))
        return [classify(f) for f in found]
    finally:
        shutil.rmtree(root, ignore_errors=True)
