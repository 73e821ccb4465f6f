"""Orchestration of the generator: Schema -> view -> rendered files -> formatted files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import ir
from .diagnostics import Diagnostic
from .format import FormatStats, format_files
from .format_black import warm_black
from .progress import Reporter
from .render import (render_group, render_models_init, render_namespace, render_package_init, render_pyproject,
                     render_readme, render_runtime, render_sdk, render_utils)
from .view import PackageView, build


@dataclass(frozen=True)
class Generated:
    """The files of a generated SDK (relative POSIX path -> text) and what generation noticed."""

    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def render_files(view: PackageView, progress: Optional[Reporter] = None) -> dict[str, str]:
    """Every file of the package, rendered but not yet formatted."""
    pkg = view.package
    if progress:
        progress.phase("rendering", 8 + len(view.namespaces) + len(view.groups))
    files = {
        "pyproject.toml": render_pyproject(view),
        "README.md": render_readme(view),
        f"{pkg}/__init__.py": render_package_init(view),
        f"{pkg}/py.typed": "",
        f"{pkg}/_runtime.py": render_runtime(view),
        f"{pkg}/sdk.py": render_sdk(view),
        f"{pkg}/utils/__init__.py": render_utils(view),
        f"{pkg}/models/__init__.py": render_models_init(view),
    }
    if progress:
        progress.advance(8)
    for ns in view.namespaces:
        files[f"{pkg}/models/{ns.module}/__init__.py"] = render_namespace(ns)
        if progress:
            progress.advance()
    for group in view.groups:
        files[f"{pkg}/{group.module}.py"] = render_group(group, view)
        if progress:
            progress.advance()
    return dict(sorted(files.items()))


def generate(schema: ir.Schema, progress: Optional[Reporter] = None,
             stats: Optional[FormatStats] = None) -> Generated:
    """The formatted files of the SDK for `schema` (raises format.FormatError on invalid output)."""
    with warm_black():  # black is imported on another core while the view is built
        if progress:
            progress.phase("building the package view")
        view = build(schema)
        return Generated(format_files(render_files(view, progress), progress=progress, stats=stats), view.diagnostics)
