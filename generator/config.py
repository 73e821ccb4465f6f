"""Configuration: `docs2sdk.toml` beside the docs, `[tool.docs2sdk]` in pyproject.toml, or `-c FILE`.

Holds what docs never state: package and SDK class, servers, JSON naming and wire-name
overrides, routes, header parameters, pagination, auth and retry defaults. Unknown keys are errors with a suggestion.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

NAMING_RULES = ("camel", "snake", "as-documented")
_ROUTE = re.compile(r"^(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?P<path>/\S*)$")
_KEYS = {"package", "sdk_class", "server_url", "servers", "naming", "wire_names", "routes", "auth",
         "retries", "retry_non_idempotent", "headers", "pagination"}
_PAGINATION_KEYS = {"kind", "input", "results", "limit", "next"}
_PAGINATION_KINDS = ("cursor", "offset", "page")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_AUTH_KEYS = {"scheme", "header", "prefix", "query"}
_RETRY_KEYS = {"strategy", "initial_interval", "max_interval", "exponent", "max_elapsed_time",
               "retry_connection_errors", "status_codes", "retry_non_idempotent"}


class ConfigError(Exception):
    """A configuration problem: reported as a usage error (exit 2), never a traceback."""


@dataclass(frozen=True, slots=True)
class Config:
    """The one frozen configuration object that goes down the pipeline."""

    package: str = ""
    sdk_class: str = ""
    servers: tuple[str, ...] = ()
    naming: str = ""
    wire_names: tuple[tuple[str, str], ...] = ()
    routes: tuple[tuple[str, str, str], ...] = ()  # (group.operation, METHOD, /path)
    auth: tuple[tuple[str, str], ...] = ()
    retries: tuple[tuple[str, Any], ...] = ()
    retry_non_idempotent: bool = False
    headers: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (group.operation, ((input, Header), ...))
    pagination: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (group.operation, ((key, value), ...))
    source: str = ""

    def wire_name(self, model: str, field_name: str) -> Optional[str]:
        """The configured wire name for `Model.field`, if any."""
        return _lookup_table(self.wire_names).get(f"{model}.{field_name}") if self.wire_names else None

    def header_params(self, group: str, operation: str) -> tuple[tuple[str, str], ...]:
        """The configured (input, Header-Name) pairs of an operation."""
        return _operation_entry(self.headers, group, operation) or ()

    def pagination_rule(self, group: str, operation: str) -> Optional[dict[str, str]]:
        """The configured pagination of an operation, if any."""
        entry = _operation_entry(self.pagination, group, operation)
        return dict(entry) if entry is not None else None

    def route(self, group: str, operation: str) -> Optional[tuple[str, str]]:
        """The configured (method, path) of an operation, if any."""
        found: Optional[tuple[str, str]] = _operation_entry(
            tuple((key, (method, path)) for key, method, path in self.routes), group, operation)
        return found


@lru_cache(maxsize=8)
def _lookup_table(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`pairs` as a mapping, made once per configuration (asked once per documented field)."""
    return dict(pairs)


def _operation_entry(table: tuple[tuple[str, Any], ...], group: str, operation: str) -> Any:
    """The value of the entry whose key is `group.operation` (a root operation: its bare name)."""
    for key, value in table:
        if key == f"{group}.{operation}" or (not group and key == operation):
            return value
    return None


def _headers(table: Any, where: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`"group.op" = { input = "Header-Name", ... }`."""
    out = []
    for key, value in sorted(_table(table, f"{where} [headers]").items()):
        entries = _table(value, f"{where} [headers] {key!r}")
        for name, header in entries.items():
            if not isinstance(header, str) or not _HEADER_NAME.match(header):
                raise ConfigError(f"{where} [headers] {key!r}: {name} = {header!r} is not an HTTP header name")
        out.append((str(key), tuple(sorted((str(n), str(h)) for n, h in entries.items()))))
    return tuple(out)


def _pagination(table: Any, where: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`"group.op" = { kind = "cursor" | "offset" | "page", input = "...", results = "a.b", limit = "...", next = "a.b" }`."""
    out = []
    for key, value in sorted(_table(table, f"{where} [pagination]").items()):
        entry = _table(value, f"{where} [pagination] {key!r}")
        _unknown(set(entry), _PAGINATION_KEYS, f"{where} [pagination] {key!r}")
        if entry.get("kind") not in _PAGINATION_KINDS or not isinstance(entry.get("input"), str) or not entry["input"]:
            raise ConfigError(f"{where} [pagination] {key!r}: needs kind = one of {', '.join(_PAGINATION_KINDS)} "
                              "and input = the name of the request input that moves")
        if not all(isinstance(v, str) for v in entry.values()):
            raise ConfigError(f"{where} [pagination] {key!r}: every value is a string")
        out.append((str(key), tuple(sorted((str(k), str(v)) for k, v in entry.items()))))
    return tuple(out)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table, got {value!r}")
    return value


def _unknown(keys: set[str], allowed: set[str], where: str) -> None:
    for key in sorted(keys - allowed):
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(sorted(allowed))}"
        raise ConfigError(f"{where}: unknown key {key!r}{hint}")


def _routes(table: dict[str, Any], where: str) -> tuple[tuple[str, str, str], ...]:
    routes = []
    for key, value in sorted(table.items()):
        match = _ROUTE.match(str(value).strip())
        if not match:
            raise ConfigError(f"{where}: route {key!r} = {value!r} is not 'METHOD /path'")
        routes.append((key, match.group("method"), match.group("path")))
    return tuple(routes)


def from_mapping(data: dict[str, Any], where: str) -> Config:
    """Validate a parsed TOML table and build the Config."""
    _unknown(set(data), _KEYS, where)
    _unknown(set(data.get("auth", {})), _AUTH_KEYS, f"{where} [auth]")
    _unknown(set(data.get("retries", {})), _RETRY_KEYS, f"{where} [retries]")
    naming = data.get("naming", "")
    if naming and naming not in NAMING_RULES:
        raise ConfigError(f"{where}: naming = {naming!r}; use one of {', '.join(NAMING_RULES)}")
    servers = data.get("servers", [])
    if "server_url" in data:
        servers = [data["server_url"], *servers]
    if not all(isinstance(s, str) for s in servers):
        raise ConfigError(f"{where}: servers must be strings")
    return Config(
        package=str(data.get("package", "")), sdk_class=str(data.get("sdk_class", "")),
        servers=tuple(servers), naming=naming,
        wire_names=tuple(sorted((str(k), str(v)) for k, v in data.get("wire_names", {}).items())),
        routes=_routes(data.get("routes", {}), where),
        auth=tuple(sorted((str(k), str(v)) for k, v in data.get("auth", {}).items())),
        retries=tuple(sorted(data.get("retries", {}).items())),
        retry_non_idempotent=bool(data.get("retry_non_idempotent", data.get("retries", {}).get("retry_non_idempotent", False))),
        headers=_headers(data.get("headers", {}), where), pagination=_pagination(data.get("pagination", {}), where),
        source=where,
    )


def load_file(path: Path) -> Config:
    """Load `docs2sdk.toml`, or the `[tool.docs2sdk]` table of a pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("docs2sdk", {})
    return from_mapping(data, str(path))


def find_config(docs: list[str], explicit: Optional[str]) -> Config:
    """`-c FILE` wins; else `docs2sdk.toml` or pyproject `[tool.docs2sdk]` beside the first DOCS."""
    if explicit:
        return load_file(Path(explicit))
    for raw in docs[:1]:
        base = Path(raw) if Path(raw).is_dir() else Path(raw).parent
        for name in ("docs2sdk.toml", "pyproject.toml"):
            candidate = base / name
            if candidate.is_file():
                config = load_file(candidate)
                if name == "docs2sdk.toml" or config != Config(source=str(candidate)):
                    return config
    return Config()
