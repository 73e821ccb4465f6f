"""The contenders of bench/serde.py besides docs2sdk: pydantic v2 and dataclasses-json models
built at run time from the same IR (same fields, wire names, enums, optionality), and the
small IR view both sides use."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
from typing import Any, Callable, Optional

ROOT_MODEL = "WebBackendConnectionRead"
SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "any": Any,
                           "date": datetime.date, "datetime": datetime.datetime, "decimal": decimal.Decimal}


@dataclasses.dataclass(frozen=True)
class Library:
    """One contender: how it turns a JSON text into a typed object and back."""

    name: str
    decode: Callable[[str], Any]
    encode: Callable[[Any], str]
    note: str = ""


class IR:
    """The models and enums of the IR, by name."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.models = {m["name"]: m for m in schema["models"]}
        self.enums = {e["name"]: e for e in schema["enums"]}

    def reachable(self, root: str) -> list[str]:
        """Model names reachable from `root`, dependencies first."""
        order: list[str] = []

        def visit(name: str) -> None:
            if name in order or name not in self.models:
                return
            for item in self.models[name]["fields"]:
                for ref in refs(item["type"]):
                    visit(ref)
            order.append(name)

        visit(root)
        return order


def refs(kind: dict[str, Any]) -> list[str]:
    """Names referenced by a type tree."""
    if kind["kind"] == "ref":
        return [kind["name"]]
    if kind["kind"] in ("list", "map"):
        return refs(kind.get("items") or kind["values"])
    if kind["kind"] == "union":
        return [name for variant in kind["variants"] for name in refs(variant)]
    return []


# -- peers built from the same IR ------------------------------------------------------------

def python_enums(ir: IR) -> dict[str, type[enum.Enum]]:
    """One str/int Enum per IR enum."""
    out: dict[str, type[enum.Enum]] = {}
    for name, node in ir.enums.items():
        mixin = int if node.get("value_type") == "integer" else str
        members = {m["name"]: m["value"] for m in node["members"]}
        out[name] = enum.Enum(name, members, type=mixin)  # type: ignore[misc,assignment]
    return out


def annotation(kind: dict[str, Any], classes: dict[str, Any], enums: dict[str, Any]) -> Any:
    """The Python type hint of an IR type; field-less models are free-form dicts."""
    if kind["kind"] == "ref":
        return classes.get(kind["name"]) or enums.get(kind["name"]) or dict[str, Any]
    if kind["kind"] == "list":
        return list[annotation(kind["items"], classes, enums)]  # type: ignore[misc]
    if kind["kind"] == "map":
        return dict[str, annotation(kind["values"], classes, enums)]  # type: ignore[misc]
    return SCALARS.get(kind["kind"], Any)


def pydantic_library(ir: IR) -> Library:
    """pydantic v2 models (aliases = wire names, unknown keys kept), model_validate_json / model_dump_json."""
    import pydantic

    enums, classes = python_enums(ir), dict[str, Any]()
    config = pydantic.ConfigDict(populate_by_name=True, extra="allow")
    for name in ir.reachable(ROOT_MODEL):
        fields = ir.models[name]["fields"]
        if not fields:
            continue
        spec: dict[str, Any] = {}
        for item in fields:
            hint = annotation(item["type"], classes, enums)
            default = ... if item["required"] else None
            attr = item["name"] + "_" if hasattr(pydantic.BaseModel, item["name"]) else item["name"]
            hint = hint if item["required"] else Optional[hint]
            spec[attr] = (hint, pydantic.Field(default, alias=item["wire_name"]))
        classes[name] = pydantic.create_model(name, __config__=config, **spec)
    root = classes[ROOT_MODEL]
    return Library(f"pydantic {pydantic.VERSION}", root.model_validate_json,
                   lambda obj: obj.model_dump_json(by_alias=True, exclude_unset=True),
                   "model_validate_json / model_dump_json(by_alias, exclude_unset)")


def dataclasses_json_library(ir: IR) -> Library:
    """dataclasses-json classes (field_name = wire name, None omitted), from_json / to_json."""
    from importlib.metadata import version

    from dataclasses_json import config, dataclass_json

    enums, classes = python_enums(ir), dict[str, Any]()
    for name in ir.reachable(ROOT_MODEL):
        fields = ir.models[name]["fields"]
        if not fields:
            continue
        required, optional = [], []
        for item in fields:
            hint = annotation(item["type"], classes, enums)
            if item["required"]:
                meta = config(field_name=item["wire_name"])
                required.append((item["name"], hint, dataclasses.field(metadata=meta)))
            else:
                meta = config(field_name=item["wire_name"], exclude=lambda value: value is None)
                optional.append((item["name"], Optional[hint], dataclasses.field(default=None, metadata=meta)))
        classes[name] = dataclass_json(dataclasses.make_dataclass(name, required + optional))
    root = classes[ROOT_MODEL]
    return Library(f"dataclasses-json {version('dataclasses-json')}", root.from_json, lambda obj: obj.to_json(),
                   "from_json / to_json")
