"""Hostile names and doc text still give valid, importable, mypy-clean, black-stable code.

Names that are keywords, builtins, dunders, start with a digit, hold spaces, hyphens, dots or
non-ASCII letters, or collide after conversion; descriptions full of triple quotes,
backslashes, carriage returns, NUL and control characters, and very long lines. Doc text must
only ever end up inside docstrings.
"""

from __future__ import annotations

import ast
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gen_helpers import generate_to, run_mypy, run_python
from generator import ir, naming
from generator.format import MODE

SPAN = ir.Span("docs/x.md", 1)
EVIL = 'Evil """ doc\\ \r\nwith NUL \x00, bell \x07, DEL \x7f, sep \u2028 and ${x} {y} %s ' + "long " * 80 + '"'
INJECT = '"""); import os; os.system("echo pwned") #'


def field(name: str, kind: str = "string", required: bool = False, **kw: object) -> ir.Field:
    t = kw.pop("type", None) or ir.prim(kind)
    return ir.Field(name=name, type=t, required=required, source=SPAN, wire_name=str(kw.pop("wire", name)),
                    description=EVIL)


def hostile_schema() -> ir.Schema:
    """Models, enums, unions, groups and operations with every kind of awkward name."""
    klass = ir.Model(name="class", namespace="shared", source=SPAN, description=INJECT, fields=(
        field("def", required=True), field("from", "integer"), field("self"), field("cls"), field("to_dict"),
        field("str", "integer"), field("list", type=ir.list_of(ir.prim("string"))), field("1st field"),
        field("my-field"), field("my_field"), field("über"), field("__init__"), field("x.y"),
        field("additional_properties", type=ir.map_of(ir.prim("integer"))), field("shared", type=ir.ref("str", "shared")),
        field("int", type=ir.ref("Kind", "shared")), field("choice", type=ir.ref("Choice", "shared")),
        field("when", "datetime"), field("day", "date"), field("amount", "decimal"), field("blob", "bytes"),
        field("dict", type=ir.map_of(ir.ref("str", "shared"))), field("weird wire", wire='a "quoted" \\ key'),
    ))
    models = (
        klass,
        ir.Model(name="str", namespace="shared", source=SPAN, fields=(field("value", required=True),)),
        ir.Model(name="2fa Code", namespace="shared", source=SPAN, fields=(field("code", "integer"),)),
        ir.Model(name="shared", namespace="shared", source=SPAN, fields=()),
        ir.Model(name="Book-Title", namespace="shared", source=SPAN, fields=(field("title", required=True),)),
        ir.Model(name="Book_Title", namespace="shared", source=SPAN, fields=(field("title", required=True),)),
        ir.Model(name="FromRequest", namespace="operations", source=SPAN, fields=(
            field("class", required=True), field("list"), field("request_body", type=ir.ref("class", "shared")))),
        ir.Model(name="Oops", namespace="errors", source=SPAN, fields=(field("message", required=True),
                                                                        field("args"), field("status_code", "integer"))),
    )
    kind = ir.Enum(name="Kind", namespace="shared", value_type="string", source=SPAN, description=EVIL, members=(
        ir.EnumMember("class", "class", SPAN), ir.EnumMember("name", "name", SPAN),
        ir.EnumMember("value", 'va"lue\\', SPAN), ir.EnumMember("", "", SPAN), ir.EnumMember("café", "café", SPAN),
        ir.EnumMember("class", "other", SPAN), ir.EnumMember("_missing_", "m", SPAN)))
    level = ir.Enum(name="Level", namespace="shared", value_type="integer", source=SPAN,
                    members=(ir.EnumMember("ZERO", 0, SPAN), ir.EnumMember("1", 1, SPAN)))
    choice = ir.Union(name="Choice", namespace="shared", source=SPAN,
                      variants=(ir.ref("class", "shared"), ir.prim("string"), ir.prim("integer"), ir.ref("Kind", "shared")))
    route = ir.Route("POST", "/things/{class}")
    ops_root = (ir.Operation(name="list", source=SPAN, summary=INJECT, description=EVIL, route=ir.Route("GET", "/list"),
                             parameters=(ir.Parameter("from", ir.prim("string"), True, SPAN),
                                         ir.Parameter("class", ir.prim("integer"), False, SPAN),
                                         ir.Parameter("retries", ir.ref("RetryConfig", "utils"), False, SPAN))),
                ir.Operation(name="no route here", source=SPAN))
    ops_import = (ir.Operation(name="from", source=SPAN, route=route, request=ir.ref("FromRequest", "operations"),
                               errors=(ir.ErrorCase(ir.ref("Oops", "errors"), "4XX", SPAN),)),
                  ir.Operation(name="def", source=SPAN, route=ir.Route("PUT", "/def"), request=ir.ref("class", "shared")),
                  ir.Operation(name="def_async", source=SPAN, route=ir.Route("GET", "/def")))
    groups = (ir.Group(name="", source=SPAN, operations=ops_root),
              ir.Group(name="import", source=SPAN, description=EVIL, operations=ops_import),
              ir.Group(name="models", source=SPAN, operations=(ir.Operation(name="get", source=SPAN),)),
              ir.Group(name="a.b", source=SPAN, operations=(ir.Operation(name="list", source=SPAN,
                                                                        route=ir.Route("GET", "/a/b")),)))
    api = ir.Api(title=INJECT, package="hostile", sdk_class="Hostile", naming="camel")
    return ir.Schema(api=api, models=models, enums=(kind, level), unions=(choice,), groups=groups)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...]]:
    """The hostile schema generated into a temporary folder, with its diagnostics' codes."""
    out = tmp_path_factory.mktemp("hostile")
    result = generate_to(out, hostile_schema())
    return out, tuple(d.code for d in result.diagnostics)


def test_injection_stays_in_docstrings(hostile: tuple[Path, tuple[str, ...]]) -> None:
    out, codes = hostile
    assert codes.count("W301") == 2
    for path in out.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "system"]
        imports = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not calls and ("os" not in imports or path.name == "_runtime.py"), path
    done = run_python("import hostile; print('ok')", out)
    assert done.stdout.strip() == "ok" and "pwned" not in done.stdout, done.stderr


def test_black_stable(hostile: tuple[Path, tuple[str, ...]]) -> None:
    out, _ = hostile
    for path in out.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, path


def test_mypy_strict(hostile: tuple[Path, tuple[str, ...]]) -> None:
    out, _ = hostile
    done = run_mypy(out, "hostile")
    assert done.returncode == 0, done.stdout[-4000:]


BEHAVIOUR = r'''
import datetime, decimal, json
import hostile
from hostile.models import errors, operations, shared

k = shared.class_(def_="d", from_=1, self="s", cls="c", str=2, list=["x"], uber="u", to_dict_="t")
data = k.to_dict()
assert data == {"def": "d", "from": 1, "self": "s", "cls": "c", "str": 2, "list": ["x"], "über": "u",
                "to_dict": "t"}, data
assert shared.class_.from_dict(data) == k
wire = {"def": "d", "when": "2024-01-02T03:04:05Z", "day": "2024-01-02", "amount": "1.10", "blob": "AAE=",
        "choice": {"def": "x"}, "int": "nope", "shared": {"value": "v"}, "dict": {"a": {"value": "b"}},
        'a "quoted" \\ key': "q", "unknown": [1]}
k2 = shared.class_.from_dict(wire)
assert k2.when == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc) and k2.blob == b"\x00\x01"
assert k2.amount == decimal.Decimal("1.10") and isinstance(k2.choice, shared.class_) and k2.int.value == "nope"
assert k2.shared == shared.str_(value="v") and k2.dict["a"].value == "b" and k2.additional_properties2 == {"unknown": [1]}
back = json.loads(k2.to_json())
assert back["amount"] == 1.10 and back["unknown"] == [1] and back['a "quoted" \\ key'] == "q", back
assert shared._union_Choice(5) == 5 and shared._union_Choice("class") is shared.Kind.class_
assert shared.Level(0) is shared.Level.ZERO and shared.Level(7).value == 7
s = hostile.Hostile(server_url="http://127.0.0.1:9")
assert callable(s.list) and callable(s.list_async) and callable(s.import_.from_) and callable(s.a.b.list)
assert callable(s.import_.def_async) and callable(s.import_.def_async_async) and callable(s.models.get)
try:
    s.no_route_here()
except errors.NoRouteError as e:
    print("no route ok")
req = operations.FromRequest.from_python_dict({"class_": "1", "request_body": {"def_": "z"}})
assert isinstance(req.request_body, shared.class_)
print("behaviour ok")
'''


def test_behaviour_of_hostile_names(hostile: tuple[Path, tuple[str, ...]]) -> None:
    out, _ = hostile
    done = run_python(BEHAVIOUR, out)
    assert done.stdout.split() == ["no", "route", "ok", "behaviour", "ok"], done.stderr[-3000:]


@pytest.mark.parametrize(("documented", "rule", "wire"), [
    ("str_", "as-documented", "str"), ("from_", "camel", "from"), ("date_", "snake", "date"),
    ("__init__", "as-documented", "__init__"), ("__init__", "camel", "__init__"), ("x__", "as-documented", "x__"),
    ("_", "as-documented", "_"), ("created_at", "camel", "createdAt"), ("_links", "camel", "_links"),
    ("_self_link", "camel", "_selfLink"), ("createdAt", "snake", "created_at"), ("__", "camel", "__"),
])
def test_wire_name_drops_only_a_single_escape_underscore(documented: str, rule: str, wire: str) -> None:
    """Speakeasy escapes reserved words with one trailing `_`; a dunder keeps both of its underscores."""
    from generator.naming import wire_name

    assert wire_name(documented, rule) == wire


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec=None), max_size=40) | st.text(alphabet='ab "\\\t\n\x00\x7f\u2028é', max_size=20))
def test_string_literals_and_docstrings_hold_any_text(text: str) -> None:
    """py_str gives a literal that evaluates to the text; a docstring holds no raw control character."""
    from generator.view_text import docstring, py_str

    assert ast.literal_eval(py_str(text)) == text
    doc = docstring(text, 4)
    assert ast.literal_eval(doc) is not None and not any(ord(c) < 32 and c != "\n" for c in doc)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_names_split_as_the_per_character_rule_splits_them(name: str) -> None:
    """`_word_spans` classes an ASCII name with one str.translate; the classes are `_char_class`'s."""
    classes = [" "]
    for ch in name:
        classes.append(naming._char_class(ch, classes[-1]))
    expected = [m.span() for m in naming._WORDS.finditer("".join(classes[1:]))]
    assert naming._word_spans(name) == expected
