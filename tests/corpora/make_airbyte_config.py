"""Build tests/corpora/airbyte.toml from ../shared/corpora/airbyte-api-facts.json.

The Airbyte docs never state the server URL, the HTTP routes, or the eight JSON names that
are not the camelCase form of the documented field names; the corpus ships those facts as
JSON. This script turns them into the docs2sdk configuration that the project commits:

    .venv/bin/python tests/corpora/make_airbyte_config.py            # rewrite airbyte.toml
    .venv/bin/python tests/corpora/make_airbyte_config.py --check    # exit 1 when stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FACTS = REPO.parent / "shared" / "corpora" / "airbyte-api-facts.json"
OUTPUT = HERE / "airbyte.toml"

_HEADER = (
    "# docs2sdk configuration for the Airbyte corpora (../shared/corpora/airbyte-*).\n"
    "# Generated from airbyte-api-facts.json by tests/corpora/make_airbyte_config.py; do not edit.\n"
)


def _quote(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML for these ASCII values)."""
    return json.dumps(text, ensure_ascii=True)


def render_config(facts: dict[str, Any]) -> str:
    """The TOML text for the given facts: package, server, naming, wire names and routes."""
    lines = [
        _HEADER,
        'package = "airbyte"',
        'sdk_class = "Airbyte"',
        f"server_url = {_quote(facts['server_url'])}",
        'naming = "camel"',
        "",
        "[wire_names]",
    ]
    wires = sorted((w["model"], w["field"], w["wire"]) for w in facts["wire_name_exceptions"])
    lines += [f"{_quote(f'{model}.{field}')} = {_quote(wire)}" for model, field, wire in wires]
    lines += ["", "[routes]"]
    routes = sorted(facts["routes"], key=lambda r: (r["group"], r["operation"]))
    lines += [f"{_quote(r['group'] + '.' + r['operation'])} = {_quote(r['http_method'] + ' ' + r['path'])}"
              for r in routes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) airbyte.toml; exit 1 when --check finds it stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=FACTS, help="airbyte-api-facts.json")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the TOML file to write")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    args = parser.parse_args(argv)
    text = render_config(json.loads(args.facts.read_text(encoding="utf-8")))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; run {Path(__file__).relative_to(REPO)}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
