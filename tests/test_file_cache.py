"""The file cache saves time and nothing else: what it gives is byte for byte what a fresh
generation gives, and the claim its keys rest on holds on every corpus (the text of one
namespace's models, enums and unions shows in that namespace's module and nowhere else)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import ROOT, corpus
from gen_helpers import AIRBYTE_CONFIG, schema_for
from generator import cache as cache_module
from generator import file_cache, generate as generate_module, ir
from generator.file_cache import FILE_NAME, FileCache, file_keys
from generator.format import FormatStats
from generator.generate import generate, render_files
from generator.view import build

INPUT_DOCS = ROOT / "input_docs"


def _mutated(node: Any) -> Any:
    """Every description, example and source of a node (and of its fields and members) changed."""
    if isinstance(node, list):
        return [_mutated(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "description":
            out[key] = f"{value} (changed)" if value else "New text."
        elif key == "example":
            out[key] = f"{value}9" if value else ""
        elif key == "source":
            out[key] = {**value, "file": value.get("file", "") + ".x", "line": value.get("line", 0) + 1000}
        else:
            out[key] = _mutated(value)
    return out


def _with_text_changed(schema: ir.Schema, namespace: str) -> ir.Schema:
    data = json.loads(json.dumps(schema.to_dict()))
    for kind in ("models", "enums", "unions"):
        data[kind] = [_mutated(n) if n["namespace"] == namespace else n for n in data[kind]]
    return ir.Schema.from_dict(data)


def _docs(name: str) -> tuple[Path, Optional[Path]]:
    if name == "input_docs":
        return INPUT_DOCS, None
    return corpus(name), AIRBYTE_CONFIG if name.startswith("airbyte") else None


@pytest.mark.parametrize("name", ["input_docs", "airbyte-python", "featuretest-python-2023-11",
                                  "speakeasy-python-2025-01"])
def test_a_namespaces_text_shows_only_in_its_module(name: str) -> None:
    docs, config = _docs(name)
    schema = schema_for(docs, config)
    base = render_files(build(schema))
    package = schema.api.package
    namespaces = sorted({n.namespace for n in (*schema.models, *schema.enums, *schema.unions)})
    for namespace in namespaces:
        changed = render_files(build(_with_text_changed(schema, namespace)))
        differing = sorted(path for path in base if base[path] != changed[path])
        module = [p for p in differing if p.startswith(f"{package}/models/") and p.endswith("/__init__.py")]
        assert differing == module and len(module) <= 1, (namespace, differing)
    rest, modules = file_keys(schema, [n for n in namespaces if n != "utils"])
    for namespace in modules:
        new_rest, new_modules = file_keys(_with_text_changed(schema, namespace), modules)
        assert new_rest == rest
        assert {ns for ns in modules if new_modules[ns] != modules[ns]} == {namespace}


class Spy:
    """Counts the models modules and package views built."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.namespaces: list[str] = []
        self.views = 0
        real_namespace, real_build = generate_module.build_namespace, generate_module.build

        def namespace(ns: str, *args: Any) -> Any:
            self.namespaces.append(ns)
            return real_namespace(ns, *args)

        def view(*args: Any, **kwargs: Any) -> Any:
            self.views += 1
            return real_build(*args, **kwargs)

        monkeypatch.setattr(generate_module, "build_namespace", namespace)
        monkeypatch.setattr(generate_module, "build", view)


def test_cached_files_are_the_fresh_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = schema_for(INPUT_DOCS)
    fresh = generate(schema)
    spy = Spy(monkeypatch)
    cache = FileCache(tmp_path / FILE_NAME)
    first = generate(schema, files=cache)
    assert first.files == fresh.files and first.diagnostics == fresh.diagnostics
    assert spy.views == 1 and len(spy.namespaces) == 3
    stats = FormatStats()
    again = generate(schema, files=cache, stats=stats)
    assert again.files == fresh.files and again.diagnostics == fresh.diagnostics
    assert stats.files_cached == len(fresh.files) and stats.blocks == 0
    assert spy.views == 1 and len(spy.namespaces) == 3, "nothing is built when every file is cached"
    edited = _with_text_changed(schema, "shared")
    result = generate(edited, files=cache)
    assert spy.views == 1 and spy.namespaces[3:] == ["shared"], "only the edited namespace is built"
    assert result.files == generate(edited).files
    changed = {path for path in fresh.files if fresh.files[path] != result.files[path]}
    assert changed == {"bookshelf/models/shared/__init__.py"}


def test_a_changed_generator_or_structure_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = schema_for(INPUT_DOCS)
    cache = FileCache(tmp_path / FILE_NAME)
    generate(schema, files=cache)
    renamed = ir.Schema.from_dict({**schema.to_dict(), "api": {**schema.to_dict()["api"], "title": "Other"}})
    expected = generate(renamed).files
    spy = Spy(monkeypatch)
    assert generate(renamed, files=cache).files == expected
    assert spy.views == 1 and len(spy.namespaces) == 3
    monkeypatch.setattr(file_cache, "generator_fingerprint", lambda: "another generator")
    generate(schema, files=cache)
    assert spy.views == 2 and len(spy.namespaces) == 6
    assert cache_module.generator_fingerprint() != "another generator"


def test_a_corrupt_or_foreign_cache_only_costs_time(tmp_path: Path) -> None:
    schema = schema_for(INPUT_DOCS)
    fresh = generate(schema).files
    path = tmp_path / FILE_NAME
    path.write_bytes(b"not a database" * 100)
    assert generate(schema, files=FileCache(path)).files == fresh
    path.unlink()
    cache = FileCache(path)
    generate(schema, files=cache)
    assert cache.db is not None
    cache.db.execute("UPDATE files SET data = ?", (b"\x78\x9cgarbage",))
    assert generate(schema, files=cache).files == fresh
    cache.db.execute("UPDATE files SET data = ?", (__import__("zlib").compress(b'{"a": 1}'),))
    assert generate(schema, files=cache).files == fresh
