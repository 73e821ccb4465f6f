"""Statements over several lines: the trust rules (generator/format_groups.py) and the layouts
the views emit (generator/view_layout.py), against black.

Every case is a block: the statement-level path (trusted statements kept, the others through
black) must give exactly black's output, and a layout view_layout makes must be one black
leaves alone and the trust rules accept without black. Shapes are swept over name lengths
and indentations around the 88-column limit, so that each rule meets both sides of each of
its length conditions; hand-written blocks cover the layouts black changes.
"""

from __future__ import annotations

import ast
import keyword
from typing import Callable

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import format_lines, format_rules, view_layout
from generator.format import MODE


def black_format(source: str) -> str:
    """black on a whole source, pinned mode."""
    return black.format_str(source, mode=MODE)


def trusted(block: str) -> bool:
    """The statement-level result equals black's, and whether black was needed at all."""
    calls: list[str] = []

    def spy(source: str) -> str:
        calls.append(source)
        return black_format(source)

    assert format_lines.format_block(block, spy) == black_format(block), block
    return not calls


def nest(lines: list[str], indent: int, head: str = "def _w{}():") -> str:
    """A block holding `lines` (relative to `indent`) at `indent` inside nested functions."""
    out = [" " * (4 * k) + head.format(k) for k in range(indent // 4)]
    out += [" " * indent + line for line in lines]
    return "\n".join(out) + "\n"


def fits(lines: list[str], indent: int) -> bool:
    return all(len(line) + indent <= 88 for line in lines)


def assert_laid_out(lines: list[str], indent: int, head: str = "def _w{}():") -> int:
    """The block of a layout: black keeps it and the rules trust it when every line fits (1),
    and the statement-level path equals black in any case (0)."""
    block = nest(lines, indent, head)
    ok = trusted(block)
    if fits(lines, indent):
        assert black_format(block) == block, block
        assert ok, f"not trusted:\n{block}"
        return 1
    return 0


N = [4, 9, 14, 19, 24, 29, 34, 39, 44, 49, 54, 59]
INDENTS = [0, 4, 8, 12]

STATEMENTS: list[Callable[[str], str]] = [
    lambda w: f"self.{w} = shared.{w.title()}Info.from_dict(data)",
    lambda w: f"request = shared.{w.title()}RequestBody.from_python_dict(request)",
    lambda w: f"self.res = {w.title()}Response.from_dict(data, strict, {w}_extra)",
    lambda w: f'_a["{w}"] = _rt.coerce_model({w.title()}Security, _v)',
    lambda w: f'_a["{w}"] = [_rt.coerce_model({w.title()}, _x0) for _x0 in _v]',
    lambda w: f"self.res = {{_k0: {w.title()}.from_dict(_x0) for _k0, _x0 in data.items()}}",
    lambda w: f'raise _rt.NoRouteError("{w}: the docs give no HTTP method and path for this operation; add it")',
    lambda w: f'raise ValueError("{w}_{w}.{w}: a request is required")',
    lambda w: f'where = "{w} broke while reading the body" if raw else "cannot reach the server"',
    lambda w: f"url = override or self.{w} or os.environ.get(self.env_var) or self._indexed()",
    lambda w: f'_o["{w}"] = self.{w}_value',
    lambda w: f'_o["{w}"] = _rt.format_datetime(self.{w})',
    lambda w: f"_i = _rt.pick(data, (shared.{w.title()}, shared.Other{w.title()}))",
    lambda w: f'return _rt.auth_headers((("api_key", self.{w}, "Authorization", ""), ("bearer", self.b, "X", "")))',
    lambda w: f'return _rt.auth_headers((("api_key", self.{w}, "Authorization", ""),))',
    lambda w: f'{w.title()}: _t.TypeAlias = _t.Union["{w.title()}One", "{w.title()}Two"]',
    lambda w: f"_M_{w.title()} = _rt.member_map({w.title()})",
    lambda w: f'_wire_keys = _rt.key_set(*"{w} {w}a {w}b {w}c id name".split())',
    lambda w: f"self.{w} = {w.title()}(self._ctx)",
    lambda w: f'return _rt.Request("GET", "/{w}", "label", query={{"{w}": request.{w}, "page": page}}, retryable=True)',
    lambda w: f"self._ctx = _rt.Context(servers=_SERVERS, variables={{\"{w}\": {w}, \"port\": port}}, timeout=timeout)",
    lambda w: f'_SERVERS: tuple[tuple[str, str], ...] = (("http://{w}", "{w}"), ("http://b", "{w}_v"))',
    lambda w: f"self.x = shared._M_{w.title()}.get(data) or shared.{w.title()}(data)",
    lambda w: f"return {w}_value if {w}_test is not None else (self.retries or self.default_{w})",
]


@pytest.mark.parametrize("make", STATEMENTS, ids=range(len(STATEMENTS)))
def test_statement_layouts(make: Callable[[str], str]) -> None:
    """view_layout.statement_lines over lengths and depths: what it lays out black keeps."""
    laid = 0
    for n in N:
        for indent in INDENTS:
            laid += assert_laid_out(view_layout.statement_lines(make("w" * n), indent), indent)
    assert laid, "no case of this shape was laid out"


ITEMS: list[Callable[[str], str]] = [
    lambda w: f'None if (_v := _g("{w}")) is None else {w.title()}Requirements.from_dict(_v)',
    lambda w: f'None if (_v := _g("{w}")) is None else _M_{w.title()}.get(_v) or {w.title()}(_v)',
    lambda w: f'_M_{w.title()}.get(d["{w}"]) or {w.title()}(d["{w}"])',
    lambda w: f'list(map({w.title()}Read.from_dict, d["{w}"]))',
    lambda w: f'{{_k0: {w.title()}.from_dict(_x0) for _k0, _x0 in d["{w}"].items()}}',
    lambda w: f'"{w}": None if self.{w} is None else self.{w}.to_dict()',
    lambda w: f'"{w}": _rt.format_datetime(self.{w}_default_parameter)',
    lambda w: f"auth=None if {w} is None else {w}._auth_headers()",
    lambda w: f"_req_{w}(self._ctx, request, security, {w}_param)",
    lambda w: f'(("500", errors.{w.title()}), ("501", errors.{w.title()}ResponseBody))',
    lambda w: f'query={{"{w}": request.{w}, "bookFormat": request.book_format, "page": request.page}}',
    lambda w: f'[_M_{w.title()}.get(_x0) or {w.title()}(_x0) for _x0 in d["{w}"]]',
    # a conditional whose `else` branch black splits at its last bracket (view_layout._cut_hugging)
    lambda w: f'None if (_v := _g("{w}")) is None else [_M_{w.title()}.get(_x0) or {w.title()}(_x0) for _x0 in _v]',
    lambda w: f'None if (_v := _g("{w}")) is None else [{w.title()}Read.from_dict(_x0) for _x0 in _v if _x0]',
    lambda w: f'None if (_v := _g("{w}")) is None else {w.title()}Read.from_dict(_v, strict, extra_{w})',
    lambda w: f'None if (_v := _g("{w}")) is None else {{_k0: {w.title()}.from_dict(_x0) for _k0, _x0 in _v.items()}}',
    lambda w: f'None if (_v := _g("{w}")) is None else {w}_items[{w.title()}Key.from_dict(_v)]',
]


@pytest.mark.parametrize("make", ITEMS, ids=range(len(ITEMS)))
def test_item_layouts(make: Callable[[str], str]) -> None:
    """view_layout.item_lines inside an exploded call: what it lays out black keeps."""
    laid = 0
    head, other, close = ("return {", '"d": d,', "}") if make("w").startswith('"') else ("return cls(", "d,", ")")
    for n in N:
        for indent in INDENTS:
            lines = [head] + ["    " + line for line in view_layout.item_lines(make("w" * n), indent + 4)]
            laid += assert_laid_out(lines + ["    " + other, close], indent)
    assert laid, "no case of this shape was laid out"


PARAMS = [
    lambda w: ["self", f"request: shared.{w.title()}Body | dict[str, _t.Any] | None = None", "*",
               "retries: utils.RetryConfig | None = None", "timeout: float | None = None"],
    lambda w: ["cls", "d: dict[str, _t.Any]"],
    lambda w: ["ctx: _rt.Context", f"{w}: str", "page: int | None = None"],
    lambda w: ["v: _t.Any"],
]


@pytest.mark.parametrize("make", PARAMS, ids=range(len(PARAMS)))
def test_def_layouts(make: Callable[[str], list[str]]) -> None:
    """view_layout.params of `def` and `async def` headers: what it lays out black keeps."""
    laid = 0
    for n in N:
        for indent in INDENTS:
            for word in ("def", "async def"):
                head, tail = f"{word} {'f' * n}(", f") -> shared.{'R' * n}:"
                header = head + view_layout.params(head, make("w" * n), tail, indent) + tail
                laid += assert_laid_out(header.split("\n")[:1] + [
                    line[indent:] for line in header.split("\n")[1:]] + ["    pass"], indent)
    assert laid


@pytest.mark.parametrize("default", ["", " = None", " = _dc.MISSING"])
def test_annotation_layouts(default: str) -> None:
    """view_layout.declaration of class-level declarations on both sides of black's limits: the
    hint in parentheses, or a default that is a name on a line of its own."""
    laid = defaults = 0
    for n in range(10, 50):
        hints = (f"shared.{'H' * n} | None", f"list[shared.{'H' * n}] | None", f"{'H' * n} | dict[str, int] | None",
                 f"shared.{'H' * n}", "int")
        for hint in hints:
            for name in ("field_" + "n" * (n // 2), "field_" + "n" * (n + 20)):
                laid_hint, laid_default = view_layout.declaration(name, hint, default, 4)
                defaults += laid_default != default
                text = f"{name}: {laid_hint}{laid_default}"
                laid += assert_laid_out(text.replace("\n    ", "\n").split("\n"), 4, "class _W{}:")
    assert laid and (defaults or not default)


LONG = "x" * 70

BLACK_CHANGES = [
    # hugged, but the joined line fits: black joins it
    "x = f(\n    a, b\n)\n",
    "def f(\n    a, b\n) -> None:\n    pass\n",
    "def f(\n    a,\n) -> None:\n    pass\n" if False else "def " + "f" * 70 + "(\n    a\n) -> None:\n    pass\n",
    # a parenthesized right-hand side that fits, or that black splits elsewhere
    "x = (\n    a.b\n)\n",
    "x = (\n    f(" + LONG + ")\n)\n",
    f"self.v = (\n    shared.{'X' * 60}.get(data) or shared.Y(data)\n)\n",
    # a ternary cut although it fits on one line inside its parentheses
    f"f(\n    (\n        None\n        if a\n        else {'b' * 50}\n    ),\n)\n",
    # an `or` cut although one line would do, a conditional cut without its parentheses
    "f(\n    (\n        a\n        or b\n    ),\n)\n",
    "f(\n    a\n    or b,\n    c,\n)\n",
    f"f(\n    {'a' * 40}\n    if {'b' * 40}\n    else {'c' * 40},\n    d,\n)\n",
    # a parameter annotation in parentheses with a single `|` and a bracket in the default
    f"def f(\n    a: (\n        {'X' * 70} | None\n    ) = [],\n    b,\n):\n    pass\n",
    # a declaration whose head fits in 87 columns: black wraps the value instead
    f"class A:\n    {'n' * 30}: (\n        shared.{'H' * 33} | None\n    ) = None\n",
    # one-tuples and magic commas
    "x = f((a,),)\n",
    "x = [(a,)]\n",
    "x = f(a)[b,]\n",
    # strings black rewrites
    'x = "\\xAB"\n',
    'x = "\\N{DASH}"\n',
    'x = "it\\\'s"\n',
    "x = f'{a}\\n'\n",
    "x = '''a\"b'''\n",
    # powers black spaces, a condition with one delimiter, comments apart from their code
    "x = a ** b\n",
    "x = f(a)**2\n",
    "x = -a**2\n",
    "x = a**f(b)\n",
    f"if (\n    {'a' * 50}\n    or {'b' * 50}\n):\n    pass\n",
    "if (\n    a\n    or b\n    or c\n):\n    pass\n",
    "def f():\n    # a comment\n\n    x = 1\n",
    # a parenthesized call split although its head fits after the target
    f"x = (\n    shared.{'X' * 30}(\n        a\n    )\n)\n",
    # a conditional inside another's `else`, or as a comprehension's element, cut as one
    f"x = (\n    {'a' * 30}\n    if {'b' * 30}\n    else {'c' * 30}\n    if d\n    else e\n)\n",
    f"x = [\n    {'a' * 30}\n    if {'b' * 30}\n    else {'c' * 30}\n    for a in b\n]\n",
    # a comprehension cut where it fits
    "x = [\n    a\n    for a in b\n]\n",
    # a subscript exploded without a magic comma, a dict key with a delimiter
    "X = _t.Union[\n    a,\n]\n",
    f"x = {{\n    a + b: f(\n        {LONG},\n    ),\n}}\n",
]


@pytest.mark.parametrize("block", BLACK_CHANGES, ids=range(len(BLACK_CHANGES)))
def test_layouts_black_changes_are_not_trusted(block: str) -> None:
    """Near misses of each rule: the statement-level path still equals black."""
    trusted(block)


KEPT = [
    "base = min(self.initial * self.exponent**attempt, self.max_interval)\n",
    "x = 2**8 + a.b**c\n",
    "from typing import (\n    Any,\n    AsyncIterator,\n    Callable,\n)\n",
    "if (\n    policy is None\n    or not policy.connection_errors\n"
    "    or not isinstance(_cause(exc), retryable_errors)\n):\n    pass\n",
    "# a run of comments\n# right above code\nx = 1\n",
    "raise SDKError(\n    f\"{operation}: the body is not valid JSON ({exc})\",\n"
    "    status,\n    body_text(raw),\n    raw,\n) from None\n",
    "status, body, detail = (\n    (raw.status_code if raw else 0),\n    head_text(raw, head),\n"
    "    f\"{type(cause).__name__}: {cause}\",\n)\n",
    "raw, head, cause = (\n    (exc.raw, exc.head, exc.cause) if isinstance(exc, _Broken) else (None, b\"\", exc)\n)\n",
    "return _BoundedStream(\n    self.inner.connect_tcp(\n"
    "        host, port, _bounded(timeout), local_address, socket_options\n    )\n)\n",
    'x = "\\x00docs2sdk-decimal:"\n',
    'x = "\\\\u0000docs2sdk-decimal:"\n',
    "x = re.compile(r'\"\\\\u0000([^\"]*)\"')\n".replace("'", '"', 0),
    'x = re.match(r"^(.*?\\.\\d{1,6})\\d*(.*)$", text)\n',
    "x = ((a, b),)\n",
    'return self._ctx.call(\n    f(x),\n    (("4XX", errors.Error),),\n    retries,\n)\n',
]


@pytest.mark.parametrize("block", KEPT, ids=range(len(KEPT)))
def test_kept_lines_are_trusted(block: str) -> None:
    """Escapes black leaves alone, raw strings and one-tuples need no black."""
    wrapped = nest(block.rstrip("\n").split("\n"), 4)
    assert black_format(wrapped) == wrapped
    assert trusted(wrapped)


NAME = st.from_regex(r"[a-z][a-z_]{0,24}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    """Expressions of the shapes the views build: names, attributes, strings, calls with
    keyword arguments, conditionals, `or` chains, tuples, dicts and comprehensions."""
    leaf = st.one_of(NAME, NAME.map(lambda n: f"self.{n}"), NAME.map(lambda n: f'"{n} {n}"'),
                     st.integers(0, 10**6).map(str))
    if depth == 0:
        return leaf
    inner = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(NAME, st.lists(inner, min_size=1, max_size=4)).map(lambda t: f"{t[0]}.call({', '.join(t[1])})"),
        st.tuples(NAME, inner).map(lambda t: f"f({t[0]}={t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} if not ({t[1]}) else {t[2]}"),
        st.lists(inner, min_size=2, max_size=3).map(" or ".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: f"({', '.join(xs)})"),
        st.tuples(NAME, inner).map(lambda t: f'{{"{t[0]}": {t[1]}, "k": 1}}'),
        st.tuples(inner, NAME).map(lambda t: f"[{t[0]} for _x in {t[1]}]"),
        st.tuples(inner, NAME).map(lambda t: f"{{_k: {t[0]} for _k, _x in {t[1]}.items()}}"),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions(), kind=st.sampled_from(["x = ", "self.x_y = ", '_o["key"] = ', "return ", "", "item"]),
       indent=st.sampled_from([0, 4, 8, 12, 16]))
def test_drawn_layouts_are_valid_and_equal_black(expr: str, kind: str, indent: int) -> None:
    """Whatever view_layout makes of drawn expressions compiles, and formatting it gives black's
    output (trusted statements are ones black keeps)."""
    if kind == "item":
        lines = ["f("] + ["    " + line for line in view_layout.item_lines(expr, indent + 4)] + [")"]
    else:
        lines = view_layout.statement_lines(kind + expr, indent)
    block = nest(lines, indent)
    ast.parse(block)
    trusted(block)


def _scan_by_token(block: str) -> list[tuple[int, int, str, str]]:
    """The statement scanner as first written (every bracket a token), the reference for `_scan`."""
    out, depth, start, line, pos, pieces = [], 0, 0, 0, 0, []
    for match in format_rules.TOKENS.finditer(block):
        kind = match.lastgroup
        if kind == "op":
            depth += 1
        elif kind == "cl":
            depth = max(0, depth - 1)
        elif kind in ("s1", "s3"):
            pieces += (block[pos:match.start()], "\x00" * (match.end() - match.start()))
            pos = match.end()
        elif kind == "com":
            pieces.append(block[pos:match.start()])
            pos = match.end()
        elif kind == "nl" and depth == 0:
            pieces.append(block[pos:match.start()])
            last = line + block.count("\n", start, match.start())
            out.append((line, last, block[start:match.start()], "".join(pieces)))
            line, start, pos, pieces = last + 1, match.end(), match.end(), []
    if start < len(block):
        pieces.append(block[pos:])
        out.append((line, line + block.count("\n", start), block[start:], "".join(pieces)))
    return out


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "[", "]", "{", "}", "\n", "x", " ", "'a)'", '"(b"', "# c(\n", "\\\n",
                                 '"""d\n)"""', "'", '"']), max_size=30).map("".join))
def test_scanner_counts_brackets_as_the_token_scanner_did(block: str) -> None:
    """`_scan` counts brackets between strings and comments in bulk (never below zero, as before)."""
    assert [(s.first, s.last, s.text, s.skel) for s in format_lines._scan(block)] == _scan_by_token(block)
    by_token = format_rules.TOKENS.sub(lambda m: "\x00" * len(m.group()) if m.lastgroup in ("s1", "s3") else m.group(),
                                       block)
    assert view_layout.skeleton(block) == by_token


def _flatten_by_char(skel: str) -> str:
    """`flatten` as first written, character by character (the reference)."""
    out, depth = [], 0
    for ch in skel:
        if ch in ")]}":
            depth -= 1
        if depth == 0:
            out.append(ch)
        if ch in "([{":
            depth += 1
    return "".join(out)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "[", "]", "{", "}", "a", " ", ",", "x.y"]), max_size=30).map("".join))
def test_flatten_visits_brackets_as_the_character_loop_did(skel: str) -> None:
    assert format_rules.flatten(skel) == _flatten_by_char(skel)
