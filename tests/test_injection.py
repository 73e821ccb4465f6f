"""A crafted description must never become executable code in the generated SDK.

A docs tree whose titles, descriptions, names, examples, enum values, server URLs and
summaries carry code and template payloads is generated with the real `docs2sdk generate`
(subprocess, cwd in the temporary folder). The generator may accept it (names cleaned into
identifiers) or refuse it with a clean diagnostic (exit 3, file:line); either way:

* every generated .py parses, and once string literals and comments are blanked out
  (tokenize), no payload is left: no `__import__`, no `os.system`, no `PWNED`;
* the template payloads were not evaluated (no Jinja ran on docs text);
* pyproject.toml is valid TOML;
* importing and using the SDK (models built with the hostile values, JSON round trips, a
  call against a loopback server) in a fresh interpreter, cwd a fresh folder, never runs a
  payload: no PWNED file appears anywhere.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Iterator

import pytest

from fault_server import FaultServer, reply
from injection_docs import (CONTROL, EVERYTHING, FORBIDDEN, IMPORT, JINJA, NAME_PAYLOAD, TOUCH, TRIPLE_SINGLE,
                            code_tokens, code_without_strings, hostile_docs, imports_by_kind, string_constants)

DOCS2SDK = Path(sys.executable).with_name("docs2sdk")
ROOT = Path(__file__).resolve().parents[1]


def pwned_files(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        if root.is_dir():
            found += [p for p in root.rglob("PWNED")]
        if (root / "PWNED").exists():
            found.append(root / "PWNED")
    return sorted(set(found))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    """`docs2sdk generate docs -o out` run with cwd in a fresh folder."""
    work = tmp_path_factory.mktemp("injection")
    docs = hostile_docs(work / "docs-tree")
    out = work / "out"
    env = {**os.environ, "DOCS2SDK_NO_CACHE": "1"}
    done = subprocess.run([str(DOCS2SDK), "generate", str(docs), "-o", str(out)], cwd=work, capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    yield work, done
    assert not pwned_files(work, ROOT, Path.cwd()), "a payload ran"


def test_generation_accepts_or_rejects_cleanly(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """Exit 0, or exit 3 with file:line diagnostics; never a traceback; no payload ran."""
    work, done = generated
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 3), (done.returncode, done.stderr)
    if done.returncode == 3:
        assert re.search(r"^\S+\.md:\d+: error\[", done.stderr, re.M), done.stderr
        assert not (work / "out").exists()
    assert not pwned_files(work), "a payload ran during generation"


def _py_files(work: Path) -> list[Path]:
    return sorted((work / "out").rglob("*.py"))


def test_payloads_only_in_string_literals(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """Every generated module parses; outside strings and comments no payload text is left."""
    work, done = generated
    if done.returncode != 0:
        pytest.skip("the docs were refused (checked above)")
    files = _py_files(work)
    assert files
    seen_in_strings: set[str] = set()
    cleaned: set[str] = set()
    for path in files:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        tokens = code_tokens(source)
        # Identifiers cleaned from hostile names may keep their letters (`..._touch_PWNED`): they are
        # names, not code. Everything else outside string literals must be free of the payloads.
        code = code_without_strings(tokens, names="N")
        for word in FORBIDDEN:
            assert word not in code, f"{path.relative_to(work)}: {word!r} outside string literals"
        words = code_without_strings(tokens)
        assert not re.search(r"\bos \. system\b|\b__import__ \(|\b(eval|exec) \(", words), path
        for token in tokens:
            if token.type == tokenize.NAME and any(w.strip("_") in token.string for w in FORBIDDEN):
                cleaned.add(token.string)
                assert token.string.isidentifier() and not token.string.startswith("__"), token.string
        for text in string_constants(tree):
            seen_in_strings.update(w for w in FORBIDDEN if w in text)
    # No statement came from the docs: the modules import nothing the golden SDK does not import.
    golden = imports_by_kind(ROOT / "generated" / "bookshelf")
    for kind, imported in imports_by_kind(work / "out" / "pwnsdk").items():
        assert imported <= golden[kind], f"{kind}: imports the golden SDK does not have: {imported - golden[kind]}"
    # The payload text is kept (as data) somewhere: a check that cleaned everything away would prove nothing.
    assert "PWNED" in seen_in_strings and "__import__" in seen_in_strings


def test_templates_did_not_evaluate_docs_text(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """`{{ 7*7 }}` and `{% raw %}` reach the output as text (Jinja never renders docs text)."""
    work, done = generated
    if done.returncode != 0:
        pytest.skip("the docs were refused (checked above)")
    texts = [p.read_text(encoding="utf-8") for p in (work / "out").rglob("*") if p.suffix in (".py", ".md")]
    constants = [c for p in _py_files(work) for c in string_constants(ast.parse(p.read_text(encoding="utf-8")))]
    assert any("7*7" in c for c in constants), "the template payload vanished"
    assert any("{% raw %}" in c for c in constants)
    assert not any("{{ 49 }}" in t or "{{49}}" in t for t in texts)


def test_pyproject_is_valid_toml(generated: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    work, done = generated
    if done.returncode != 0:
        pytest.skip("the docs were refused (checked above)")
    import tomllib

    data = tomllib.loads((work / "out" / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["name"]


_USE = r"""
import asyncio, dataclasses, json, sys
import pwnsdk
from pwnsdk.models import operations, shared

payloads = json.loads(sys.argv[2])
# Every str field of Foo gets the hostile text; the model must hold it as data and round-trip it.
values = {f.name: payloads["text"] for f in dataclasses.fields(shared.Foo) if f.type.startswith("str")}
foo = shared.Foo(**values)
again = shared.Foo.from_json(foo.to_json())
assert again == foo, (again, foo)
assert shared.Foo.from_dict(json.loads(foo.to_json())).to_dict() == foo.to_dict()
modes = list(shared.Mode)
assert any(m.value == payloads["touch"] for m in modes), modes
decoded = shared.Foo.from_dict(payloads["wire"])
assert decoded.to_dict() == payloads["wire"], decoded.to_dict()
bar_class = [c for c in vars(shared).values() if isinstance(c, type) and c.__name__.startswith("Foo_")][0]
bar = bar_class.from_dict({"id": payloads["import"]})
assert bar.to_dict() == {"id": payloads["import"]}
repr(foo); str(foo); repr(modes); repr(bar)
for thing in (shared.Foo, shared.Mode, bar_class, pwnsdk.Pwn):
    assert thing.__doc__ is not None
s = pwnsdk.Pwn(server_url=sys.argv[1])
res = s.pwn.get_thing(thing_id=payloads["touch"])
assert res.status_code == 200 and res.foo.to_dict() == payloads["wire"], res
s.pwn.put_thing(foo)
res2 = asyncio.run(s.pwn.get_thing_async(thing_id=payloads["import"]))
assert res2.foo.mode is shared.Mode(payloads["touch"])
for index in range(3):  # the documented servers, hostile URLs and variable defaults included
    try:
        pwnsdk.Pwn(server_idx=index)._ctx.base_url(None)
    except Exception as exc:
        assert type(exc).__module__.startswith("pwnsdk"), exc
print("USED")
"""


def test_using_the_sdk_runs_no_payload(generated: tuple[Path, subprocess.CompletedProcess[str]],
                                       tmp_path: Path) -> None:
    """Import, build models with the hostile values, round-trip JSON, call a loopback server: no PWNED."""
    work, done = generated
    if done.returncode != 0:
        pytest.skip("the docs were refused (checked above)")
    fresh = tmp_path / "cwd"
    fresh.mkdir()
    wire = {NAME_PAYLOAD: IMPORT, "class": TRIPLE_SINGLE, "note": "\\", "template": JINJA, "mode": TOUCH}
    payloads = {"text": EVERYTHING + CONTROL.replace("\x00", ""), "touch": TOUCH, "import": IMPORT, "wire": wire}
    with FaultServer() as server:
        server.plan(reply(200, json.dumps(wire).encode()))
        ran = subprocess.run([sys.executable, "-c", _USE, server.url, json.dumps(payloads)], cwd=fresh,
                             capture_output=True, text=True, timeout=120, check=False,
                             env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(work / "out"),
                                  "PYTHONDONTWRITEBYTECODE": "1"})
    assert ran.returncode == 0 and "USED" in ran.stdout, ran.stderr[-3000:]
    assert [r.method for r in server.requests] == ["GET", "PUT", "GET"]
    assert not pwned_files(fresh, work, ROOT, Path.cwd()), "a payload ran while the SDK was used"


def test_line_separators_inside_a_table_cell(tmp_path: Path) -> None:
    """VT, FF, NEL, U+2028/9 inside a Fields cell: accepted, or refused with file:line (E101); never a crash."""
    docs = hostile_docs(tmp_path / "docs-tree", cell_control=CONTROL)
    done = subprocess.run([str(DOCS2SDK), "generate", str(docs), "-o", str(tmp_path / "out")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "DOCS2SDK_NO_CACHE": "1"})
    assert "Traceback" not in done.stderr and done.returncode in (0, 3), done.stderr
    if done.returncode == 3:
        assert re.search(r"^docs/models/shared/foo\.md:\d+: error\[E\d+\]", done.stderr, re.M), done.stderr
    else:
        for path in (tmp_path / "out").rglob("*.py"):
            ast.parse(path.read_text(encoding="utf-8"))
    assert not pwned_files(tmp_path, ROOT, Path.cwd())
