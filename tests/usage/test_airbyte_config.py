"""tests/corpora/airbyte.toml is what make_airbyte_config.py builds from the corpus facts, and it works."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

from support.paths import AIRBYTE_CONFIG, AIRBYTE_FACTS, REPO, corpus, require
from support.snippets import load_schema


def _script() -> ModuleType:
    path = REPO / "tests" / "corpora" / "make_airbyte_config.py"
    spec = importlib.util.spec_from_file_location("make_airbyte_config", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_config_is_generated_from_the_facts() -> None:
    """The committed TOML equals the script's output for the current facts."""
    facts = json.loads(require(AIRBYTE_FACTS, "airbyte-api-facts.json").read_text(encoding="utf-8"))
    expected = _script().render_config(facts)
    assert AIRBYTE_CONFIG.read_text(encoding="utf-8") == expected, (
        "tests/corpora/airbyte.toml is stale; run .venv/bin/python tests/corpora/make_airbyte_config.py")


def test_config_routes_every_operation() -> None:
    """With the config, all 108 operations have the facts' route and nothing is left unmatched (W302)."""
    facts = json.loads(require(AIRBYTE_FACTS, "airbyte-api-facts.json").read_text(encoding="utf-8"))
    schema = load_schema(str(corpus("airbyte-python")), str(AIRBYTE_CONFIG))
    routes = {f"{g['name']}.{o['name']}": o["route"] for g in schema["groups"] for o in g["operations"]}
    expected = {f"{r['group']}.{r['operation']}": {"method": r["http_method"], "path": r["path"]}
                for r in facts["routes"]}
    assert len(routes) == 108
    assert {k: v and {"method": v["method"], "path": v["path"]} for k, v in routes.items()} == expected
    assert [d for d in schema["diagnostics"] if d["code"] == "W302"] == []
    assert schema["api"]["package"] == "airbyte" and schema["api"]["sdk_class"] == "Airbyte"
    assert [s["url"] for s in schema["api"]["servers"]] == [facts["server_url"]]


def test_config_wire_names_apply() -> None:
    """The eight documented exceptions to camelCase reach the IR's wire names."""
    facts = json.loads(require(AIRBYTE_FACTS, "airbyte-api-facts.json").read_text(encoding="utf-8"))
    schema = load_schema(str(corpus("airbyte-python")), str(AIRBYTE_CONFIG))
    wires = {(m["name"], f["name"]): f["wire_name"] for m in schema["models"] for f in m["fields"]}
    for item in facts["wire_name_exceptions"]:
        assert wires[(item["model"], item["field"])] == item["wire"]
