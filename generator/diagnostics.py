"""Diagnostics as values: severity, code, source location, message and hint."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Iterable


class Severity(str, enum.Enum):
    """How serious a diagnostic is; errors stop generation."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# Every code the tool can emit, with a one-line meaning. Tests check that each
# emitted code is registered here, so the list doubles as documentation.
CODES: dict[str, str] = {
    "E001": "a docs path does not exist or holds no markdown pages",
    "E002": "a page could not be read (not UTF-8, unreadable, or too large)",
    "E101": "a table row has a different number of cells than its header",
    "E102": "a table has no header row that docs2sdk recognises",
    "E103": "a type cell uses syntax that the page's dialect grammar does not know",
    "E104": "a name is not usable (empty, or not an identifier after cleaning)",
    "E105": "a union page lists no variants",
    "E201": "two pages define the same name differently",
    "E202": "two pages define the same name (duplicate definition)",
    "E203": "a required/optional flag is neither the check mark nor the minus sign",
    "E204": "two fields of one model have the same JSON wire name",
    "E205": "a page repeats a field, enum member or operation name; the first was kept",
    "W101": "a page was not recognised as any known page kind and was skipped",
    "W102": "a link is a placeholder or points at no page; the link text was used",
    "W103": "a link leaves the docs root; it was not followed",
    "W104": "an example code block could not be parsed",
    "W201": "a referenced type is not defined by any page; it is kept under `unresolved`",
    "W202": "a model is defined differently by two dialects; the first was kept",
    "W203": "an operation was listed but has no section of its own",
    "W204": "the dialect of a page could not be detected; Python was assumed",
    "W205": "the same name is defined twice identically; the first was kept",
    "W301": "an operation has no route; calling it raises an error",
    "W302": "a configuration entry names something the docs do not define",
    "W303": "a union lists no variants; it is generated as a free-form JSON value",
    "W304": "an example pages with Next() but the pagination rule is not certain; configure [pagination]",
    "N101": "a page not listed in .speakeasy/gen.lock was skipped as stale",
    "N102": "a date/datetime label was corrected from the example or dialect convention",
    "N103": "a group page lists no operations (the SDK overview page); no group generated",
    "N104": "a page documents an SDK helper type (docs/types/), not an API type; skipped",
    "N201": "a fact was inferred from example code rather than stated in a table",
    "N202": "a package or SDK class name was changed to make it a Python identifier",
    "N203": "pagination was inferred from an example that calls Next()",
    "N204": "an input looks like an HTTP header but no [headers] entry makes it one; sent as a query parameter",
    "N301": "a JSON wire name was derived from the naming rule, not stated by the docs",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the input, located at a file and line."""

    severity: Severity
    code: str
    message: str
    file: str = ""
    line: int = 0
    hint: str = ""

    def render(self) -> str:
        """Format as `file:line: severity[CODE]: message (hint: ...)`."""
        where = f"{self.file}:{self.line}: " if self.file else ""
        text = f"{where}{self.severity.value}[{self.code}]: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order by location first so output is stable and readable."""
        return (self.file, self.line, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """Serialise for the IR's `diagnostics` list."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Diagnostic":
        """Inverse of `to_dict`."""
        return cls(
            severity=Severity(data["severity"]),
            code=data["code"],
            message=data["message"],
            file=data.get("file", ""),
            line=int(data.get("line", 0)),
            hint=data.get("hint", ""),
        )


QUOTE_LIMIT = 120  # characters of input text quoted in a message


def quoted(text: str) -> str:
    """`repr(text)`, cut to QUOTE_LIMIT characters: a 100 KB cell must not fill the message."""
    if len(text) <= QUOTE_LIMIT:
        return repr(text)
    return f"{text[:QUOTE_LIMIT]!r}... ({len(text)} characters)"


def error(code: str, message: str, file: str = "", line: int = 0, hint: str = "") -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(Severity.ERROR, code, message, file, line, hint)


def warning(code: str, message: str, file: str = "", line: int = 0, hint: str = "") -> Diagnostic:
    """Build a warning diagnostic."""
    return Diagnostic(Severity.WARNING, code, message, file, line, hint)


def note(code: str, message: str, file: str = "", line: int = 0, hint: str = "") -> Diagnostic:
    """Build a note diagnostic."""
    return Diagnostic(Severity.NOTE, code, message, file, line, hint)


def promote(diags: Iterable[Diagnostic], strict: bool) -> tuple[Diagnostic, ...]:
    """Under --strict, warnings become errors; notes stay notes."""
    if not strict:
        return tuple(diags)
    return tuple(
        Diagnostic(Severity.ERROR, d.code, d.message, d.file, d.line, d.hint)
        if d.severity is Severity.WARNING
        else d
        for d in diags
    )


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diags)


def sorted_unique(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Deduplicate and order diagnostics deterministically."""
    return tuple(sorted(set(diags), key=Diagnostic.sort_key))


class ExitCode(enum.IntEnum):
    """Process exit codes, decided in one place (the CLI)."""

    OK = 0
    DIFFERENCES = 1
    USAGE = 2
    DOCS_ERRORS = 3
