"""Templates compiled ahead of time (generator/template_code.py): the committed modules are
Jinja's code for the current templates, runs load them, and an edited template is compiled
from its source instead of using a stale module."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator import template_code
from generator.render import FILTERS, TEMPLATES, environment
from generator.template_code import COMPILED, HEADER, CompiledLoader, write_compiled

REGENERATE = "run `python -m generator.template_code` and commit generator/compiled_templates/"


def _environment(folder: Path, loader: type[jinja2.FileSystemLoader] = CompiledLoader) -> jinja2.Environment:
    """An environment like render.environment() over another templates folder."""
    env = jinja2.Environment(loader=loader(str(folder)), undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters.update(FILTERS)
    return env


def test_committed_modules_are_the_current_templates_compiled(tmp_path: Path) -> None:
    names = write_compiled(environment(), tmp_path)
    assert sorted(p.name for p in COMPILED.glob("*.py")) == names, REGENERATE
    for name in names:
        assert (COMPILED / name).read_bytes() == (tmp_path / name).read_bytes(), f"{name}: {REGENERATE}"


def test_every_template_loads_from_its_compiled_module() -> None:
    env = _environment(TEMPLATES)
    before = CompiledLoader.hits
    for path in sorted(TEMPLATES.iterdir()):
        env.get_template(path.name)
    assert CompiledLoader.hits - before == len(list(TEMPLATES.iterdir()))


def _compiled_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> Path:
    """A templates folder holding `t.jinja` with `source`, compiled into tmp_path/compiled,
    which the loader then uses; returns the templates folder."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.jinja").write_text(source, encoding="utf-8")
    monkeypatch.setattr(template_code, "COMPILED", tmp_path / "compiled")
    write_compiled(_environment(folder), tmp_path / "compiled")
    return folder


def test_an_edited_template_is_compiled_from_its_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _compiled_template(tmp_path, monkeypatch, "{{ x }} one\n")
    (folder / "t.jinja").write_text("{{ x }} two\n", encoding="utf-8")
    before = CompiledLoader.hits
    assert _environment(folder).get_template("t.jinja").render(x=1) == "1 two\n"
    assert CompiledLoader.hits == before  # the stale module was not used


def test_the_compiled_module_renders_what_the_source_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _compiled_template(tmp_path, monkeypatch, "{% for i in xs %}{{ i | py_str }},{% endfor %}\n")
    before = CompiledLoader.hits
    rendered = _environment(folder).get_template("t.jinja").render(xs=["a'", 'b"'])
    assert rendered == _environment(folder, jinja2.FileSystemLoader).get_template("t.jinja").render(xs=["a'", 'b"'])
    assert rendered == "\"a'\",\"b\\\"\","
    assert CompiledLoader.hits == before + 1


def test_rewriting_removes_only_its_own_stale_modules(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.jinja").write_text("one\n", encoding="utf-8")
    out = tmp_path / "compiled"
    out.mkdir()
    (out / "mine.py").write_text("x = 1\n", encoding="utf-8")
    (out / "t_jinja_stale.py").write_text(HEADER.format(name="t.jinja") + "name = 't.jinja'\n", encoding="utf-8")
    names = write_compiled(_environment(folder), out)
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, "mine.py"])
