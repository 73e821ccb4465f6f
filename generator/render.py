"""Render view objects through the one Jinja environment; templates only substitute.

Templates live in `templates/` beside the `generator` package: one per emitted file kind
plus `macros.jinja`. Filters are registered in `FILTERS`, the only place they are defined.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

import jinja2

from .cache import TEMPLATES
from .template_code import CompiledLoader
from .view import PackageView
from .view_models import NamespaceView
from .view_sdk import GroupView
from .view_text import py_str



def toml_str(text: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes; DEL is escaped too)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


FILTERS: dict[str, Callable[..., Any]] = {"toml_str": toml_str, "py_str": py_str}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment: strict about undefined names, whitespace-controlled blocks."""
    env = jinja2.Environment(
        loader=CompiledLoader(str(TEMPLATES)),  # compiled ahead of time (template_code)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_namespace(ns: NamespaceView) -> str:
    """`models/<namespace>/__init__.py`."""
    return _render("namespace.py.jinja", ns=ns)


def render_group(group: GroupView, package: PackageView) -> str:
    """`<package>/<group>.py`."""
    return _render("group.py.jinja", g=group, package=package.package)


def render_sdk(package: PackageView) -> str:
    """`<package>/sdk.py`."""
    return _render("sdk.py.jinja", p=package)


def render_package_init(package: PackageView) -> str:
    """`<package>/__init__.py`."""
    return _render("package_init.py.jinja", p=package)


def render_models_init(package: PackageView) -> str:
    """`<package>/models/__init__.py`."""
    return _render("models_init.py.jinja", p=package, modules=list(package.model_modules))


def render_runtime(package: PackageView) -> str:
    """`<package>/_runtime.py`."""
    return _render("runtime.py.jinja", package=package.package)


def render_utils(package: PackageView) -> str:
    """`<package>/utils/__init__.py`."""
    return _render("utils.py.jinja", package=package.package)


def render_pyproject(package: PackageView) -> str:
    """`pyproject.toml` of the generated distribution."""
    return _render("pyproject.toml.jinja", p=package)


def render_readme(package: PackageView) -> str:
    """`README.md` of the generated distribution."""
    return _render("README.md.jinja", p=package)
