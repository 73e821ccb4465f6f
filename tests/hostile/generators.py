"""Generated hostile pages: names, cells and type expressions from every dialect's tokens, page shapes."""

from __future__ import annotations

from .builders import CHECK, MINUS
from .sources import Source

# --- vocabulary --------------------------------------------------------------------------

# Characters that markdown, the cell splitter, the type grammars, JSON or Python care about.
SPECIAL_CHARS = list("\x00\x01\x07\x08\t\x0b\x0c\r\n\x1b\x1c\x1d\x1e\x7f\x85\xa0|`*_[]()<>{}#\\!~&;:,.-=/'\" ") + [
    "\u2028", "\u2029", "\u200b", "\u200e", "\u202e", "\ufeff", "\ufffd", "é", "ß", "日", "Ω", "\U0001f600", "\u0301"]
NAMES = ["name", "user_id", "userId", "class", "None", "__init__", "self", "list", "1st", "has space", "a-b", "a.b",
         "Ünïcode", "日本", "", "_", "x" * 40, "Foo", "FOO", "foo", "date_", "type", "`tick`", "~~old~~", "a|b"]
TYPE_TOKENS = ["Optional[", "List[", "Dict[str, ", "Union[", "Literal[", "IO[", "]", ", ", ",", " ", "*", "**", "`",
               "[X](../../models/shared/x.md)", "[shared.Foo](../../models/shared/foo.md)", "[Optional[shared.Bar]](../../models/shared/bar.md)",
               "[", "](", ")", "(", "<", ">", "Array<", "Record<string, ", "Promise<", "map[string]", "[]", "?", "|",
               "null", "None", "str", "int", "float", "bool", "datetime", "date", "Any", "string", "number", "boolean",
               "int64", "Long", "String", "List<", "Map<String, ", "array<", "\\Ns\\Models\\Foo", "interface{}", "~~",
               "Foo", "shared.Foo", "operations.Req", "\\", "&lt;", "&gt;", "&#124;", "\\|", "'a'", '"b"', "42", "-1.5",
               "[date](https://docs.python.org/3/library/datetime.html#date-objects)", "[str](../../models/.md)",
               "[X](/etc/passwd)", "[X](../../../../x.md)", "[X](file:///x.md)", "_", "#", "\n"]
PRIMITIVES = {"python": ["str", "int", "float", "bool", "datetime", "date", "Decimal", "Any", "bytes", "None"],
              "typescript": ["string", "number", "boolean", "Date", "any", "null"],
              "go": ["string", "int64", "float64", "bool", "time.Time", "any"],
              "java": ["String", "Long", "Double", "Boolean", "OffsetDateTime", "Object"],
              "php": ["string", "int", "float", "bool", "mixed", "?string", "\\DateTime"]}
MODEL_PATHS = ["docs/models/shared/{n}.md", "docs/models/operations/{n}.md", "docs/models/utils/{n}.md",
               "docs/models/errors/{n}.md", "docs/sdk/models/shared/{n}.md", "docs/types/{n}.md", "docs/{n}.md"]
GROUP_PATHS = ["docs/sdks/{n}/README.md", "docs/{n}/README.md"]
REQUIRED = [CHECK, MINUS, CHECK, MINUS, "", "yes", ":heavy_check_mark: ", "✔️"]
FIELD_HEADERS = ["Field", "Type", "Required", "Description", "Example"]


def text(src: Source, max_len: int = 12, specials: float = 0.4) -> str:
    """Short text mixing letters, words and special characters."""
    out = []
    for _ in range(src.integer(0, max_len)):
        roll = src.integer(0, 99)
        if roll < specials * 100:
            out.append(src.choice(SPECIAL_CHARS))
        elif roll < 85:
            out.append(src.choice("abcxyzAZ09 "))
        else:
            out.append(src.choice(NAMES))
    return "".join(out)


def cell(src: Source) -> str:
    """Cell text: no raw newline (that would end the row) unless the draw wants one."""
    value = text(src)
    return value if src.integer(0, 19) == 0 else value.replace("\n", " ").replace("\r", " ")


def type_tree(src: Source, dialect: str, depth: int = 0) -> str:
    """A type expression in `dialect` syntax, well formed before `corrupt`."""
    kind = src.integer(0, 9) if depth < 4 else 0
    inner = (lambda: type_tree(src, dialect, depth + 1))
    if kind <= 3:
        leaf = src.choice(PRIMITIVES[dialect] + ["Foo", "shared.Foo", "[shared.Foo](../../models/shared/foo.md)"])
        return f"*{leaf}*" if src.integer(0, 2) == 0 else leaf
    forms = {
        "python": ["Optional[{0}]", "List[{0}]", "Dict[str, {0}]", "Union[{0}, {1}]", "[{0}](../../models/shared/x.md)", "*{0}*",
                   "Literal['a', 'b']", "Literal[1]", "{0} \\| None"],
        "typescript": ["{0}[]", "Record<string, {0}>", "Array<{0}>", "{0} \\| {1}", "[{0}](../../models/shared/x.md)"],
        "go": ["[]{0}", "map[string]{0}", "*{0}", "[{0}](../../models/shared/x.md)"],
        "java": ["List<{0}>", "Map<String, {0}>", "Optional<{0}>", "[{0}](../../models/shared/x.md)"],
        "php": ["array<{0}>", "array<string, {0}>", "?{0}", "{0}\\|{1}", "[{0}](../../models/shared/x.md)"],
    }[dialect]
    return src.choice(forms).format(inner(), inner())


def type_soup(src: Source) -> str:
    """Tokens from every dialect in any order."""
    return "".join(src.choice(TYPE_TOKENS) for _ in range(src.integer(0, 10)))


def corrupt(src: Source, value: str) -> str:
    """Maybe delete, duplicate or insert a character."""
    if not value or src.integer(0, 3):
        return value
    at = src.integer(0, len(value))
    op = src.integer(0, 2)
    if op == 0:
        return value[:at] + value[at + 1:]
    if op == 1:
        return value[:at] + value[at:at + 1] * 2 + value[at + 1:]
    return value[:at] + src.choice(SPECIAL_CHARS + TYPE_TOKENS) + value[at:]


DEEP_FORMS = {"python": ("List[", "]"), "typescript": ("Array<", ">"), "go": ("[]", ""), "java": ("List<", ">"),
              "php": ("array<", ">")}


def deep_type(src: Source, dialect: str) -> str:
    """A container nested around the 60-level guard, or far beyond it."""
    depth = src.choice([55, 61, 100, 500])
    opener, closer = DEEP_FORMS[dialect] if src.integer(0, 3) else DEEP_FORMS["go"]
    return opener * depth + src.choice(PRIMITIVES[dialect]) + closer * depth


def type_text(src: Source, dialect: str) -> str:
    """A Type cell: a (maybe corrupted) dialect expression, token soup, rarely a deep or huge one."""
    roll = src.integer(0, 99)
    if roll == 0:
        return deep_type(src, dialect)
    if roll == 1:
        return src.choice(["9" * 400 + ".5", "-" + "9" * 3990, "Literal[" + "9" * 330 + ".0]"])
    if roll < 25:
        return type_soup(src)
    return corrupt(src, type_tree(src, dialect))


def table(src: Source, header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; sometimes ragged, sometimes without its delimiter row."""
    lines = ["| " + " | ".join(header) + " |"]
    if src.integer(0, 9):
        lines.append("| " + " | ".join("---" for _ in range(len(header) + (src.integer(0, 9) == 0))) + " |")
    for row in rows:
        if src.integer(0, 14) == 0:
            row = row[: src.integer(0, len(row))]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def name_cell(src: Source) -> str:
    """A name cell: usually a code span, sometimes struck through or raw."""
    name = src.choice(NAMES) if src.integer(0, 2) else text(src, 6)
    return src.choice(["`{0}`", "`{0}`", "~~`{0}`~~", "{0}"]).format(name.replace("\n", " "))


def model_page(src: Source, dialect: str) -> str:
    """`# Title` + `## Fields` table, headers sometimes shuffled or missing."""
    header = list(FIELD_HEADERS[: src.integer(2, 5)])
    if src.integer(0, 7) == 0:
        header[src.integer(0, len(header) - 1)] = src.choice(["Name", "Parameter", "", "**Field**", text(src, 4)])
    rows = []
    for _ in range(src.integer(0, 6)):
        values = {"Field": name_cell(src), "Type": type_text(src, dialect), "Required": src.choice(REQUIRED),
                  "Description": cell(src), "Example": cell(src)}
        rows.append([values.get(h, cell(src)) for h in header])
    title = src.choice(NAMES) if src.integer(0, 3) else text(src, 8)
    extra = f"\n## Other\n\n### Fields\n\n{table(src, header, rows[:1])}" if src.integer(0, 5) == 0 else ""
    return f"# {title}\n\n{cell(src)}\n\n\n## Fields\n\n{table(src, header, rows)}{extra}"


def enum_page(src: Source) -> str:
    """`# Title` + `## Values` table with awkward values."""
    values = ["", "0", "007", "-1", "1.5", "1e3", "a", "a", "None", "9" * src.integer(1, 30), "`x`", "N/A",
              "9" * src.choice([4299, 4301, 5000])]
    rows = [[name_cell(src), src.choice(values) if src.integer(0, 2) else cell(src)] for _ in range(src.integer(0, 6))]
    return f"# {src.choice(NAMES)}\n\n{cell(src)}\n\n## Values\n\n{table(src, ['Name', 'Value'], rows)}"


def union_page(src: Source, dialect: str) -> str:
    """`## Supported Types` with code-block variants."""
    parts = [f"# {src.choice(NAMES)}\n\n\n## Supported Types\n"]
    fence = {"python": "python", "typescript": "typescript", "go": "go", "java": "java", "php": "php"}[dialect]
    for _ in range(src.integer(0, 4)):
        variant = type_tree(src, dialect).strip("*")
        parts.append(f"\n### {src.choice(NAMES)}\n\n```{fence}\n{src.choice(NAMES) or 'v'}: {corrupt(src, variant)} = /* values here */\n```\n")
    return "".join(parts)


def example_code(src: Source) -> str:
    """Python-ish example code: an SDK constructor and a call, sometimes broken."""
    package = src.choice(["lib", "lib", "lib", "日本", "ñ", "class_", "_", "Lib2"])
    lines = [f"import {package}", f"from {package}.models import shared, operations", "", f"s = {package}.{src.choice(['Lib', 'Lib', 'Ñame', 'sdk'])}(", "    api_key=\"\",", ")",
             "", f"req = operations.{src.choice(['Req', 'Foo', 'class'])}(", f"    {src.choice(NAMES) or 'x'}='v',", ")", "",
             f"res = s.{src.choice(['g', 'group.sub', 'class'])}.{src.choice(NAMES) or 'op'}(req)", "",
             "if res.thing is not None:", "    # handle response"]
    for _ in range(src.integer(0, 3)):
        at = src.integer(0, len(lines) - 1)
        lines[at] = corrupt(src, lines[at] + src.choice(["", text(src, 5), "(", ":", "\"\"\""]))
    return "\n".join(lines)


def group_page(src: Source, dialect: str) -> str:
    """A group page: Available Operations, then operation sections with tables."""
    ops = [src.choice(NAMES) or "op" for _ in range(src.integer(0, 3))]
    parts = [f"# {src.choice(NAMES)}\n\n## Overview\n\n{cell(src)}\n\n### Available Operations\n\n"]
    parts.extend(f"* [{op}](#{op}) - {cell(src)}\n" for op in ops)
    for op in ops + ([src.choice(NAMES)] if src.integer(0, 3) == 0 else []):
        parts.append(f"\n## {op}\n\n{cell(src)}\n\n")
        if src.integer(0, 1):
            fence = src.choice(["python", "python", "typescript", "go", ""])
            parts.append(f"### Example Usage\n\n```{fence}\n{example_code(src)}\n```\n\n")
        if src.integer(0, 2):
            rows = [[name_cell(src), type_text(src, dialect), src.choice(REQUIRED), cell(src)] for _ in range(src.integer(0, 3))]
            parts.append("### Parameters\n\n" + table(src, ["Parameter", "Type", "Required", "Description"], rows) + "\n")
        if src.integer(0, 2):
            parts.append(f"### Response\n\n**{type_text(src, dialect)}**\n\n")
        if src.integer(0, 2) == 0:
            rows = [[type_text(src, dialect), src.choice(["400", "4XX", "", "400-600", "default"]), "application/json"]]
            parts.append("### Errors\n\n" + table(src, ["Error Object", "Status Code", "Content Type"], rows))
    return "".join(parts)


def readme_page(src: Source) -> str:
    """A repository README: title, an SDK example, servers and auth tables."""
    servers = table(src, ["#", "Server", "Variables"], [["0", f"`{cell(src)}`", "`v` (default is `x`)"]])
    auth = table(src, ["Name", "Type", "Scheme"], [[name_cell(src), src.choice(["apiKey", "http", "oauth2", ""]), cell(src)]])
    return (f"# {src.choice(NAMES + [text(src, 8)])}\n\n## SDK Example Usage\n\n```python\n{example_code(src)}\n```\n\n"
            f"## Server Selection\n\n{servers}\n## Authentication\n\n{auth}\n## Retries\n\nYes.\n")
