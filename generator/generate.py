"""Orchestration of the generator: Schema -> view -> rendered files -> formatted files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import ir
from .diagnostics import Diagnostic
from .format import FormatStats, format_files
from .file_cache import FileCache, file_keys
from .format_black import warm_black
from .progress import Reporter
from .render import (render_group, render_models_init, render_namespace, render_package_init, render_pyproject,
                     render_readme, render_runtime, render_sdk, render_utils)
from .view import PackageView, build, prepare_view
from .view_models import build_namespace


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


def generate(schema: ir.Schema, progress: Optional[Reporter] = None, stats: Optional[FormatStats] = None,
             files: Optional[FileCache] = None) -> Generated:
    """The formatted files of the SDK for `schema` (raises format.FormatError on invalid output).

    With `files`, files made from an unchanged part of the IR come from that cache (file_cache);
    the others are built, rendered and formatted, and kept there."""
    if files is None:
        with warm_black():  # black is imported on another core while the view is built
            if progress:
                progress.phase("building the package view")
            view = build(schema)
            return Generated(format_files(render_files(view, progress), progress=progress, stats=stats),
                             view.diagnostics)
    return _generate_cached(schema, files, progress, stats)


def _generate_cached(schema: ir.Schema, cache: FileCache, progress: Optional[Reporter],
                     stats: Optional[FormatStats]) -> Generated:
    context = prepare_view(schema)
    rest_key, module_keys = file_keys(schema, context.modules)
    found = cache.get_many([rest_key, *module_keys.values()])
    rest = found.get(rest_key)
    stale = [ns for ns, key in module_keys.items() if key not in found]
    if stats is not None:
        stats.files_cached += sum(len(part) for part in found.values())
    if rest is not None and not stale:
        every = {path: text for part in found.values() for path, text in part.items()}
        return Generated(dict(sorted(every.items())), context.warnings)
    with warm_black(enabled=rest is None or len(stale) > 1):  # one models module: black is rarely needed
        if progress:
            progress.phase("building the package view")
        view = build(schema, context, with_namespaces=False) if rest is None else None
        rendered = render_files(view, progress) if view is not None else {}
        package = schema.api.package
        paths = {ns: f"{package}/models/{context.modules[ns]}/__init__.py" for ns in context.modules}
        for ns in stale:
            rendered[paths[ns]] = render_namespace(build_namespace(ns, context.schema, context.symbols, context.roles))
        formatted = format_files(rendered, progress=progress, stats=stats)
    fresh = {module_keys[ns]: {paths[ns]: formatted[paths[ns]]} for ns in stale}
    if rest is None:
        rest = {path: text for path, text in formatted.items() if path not in paths.values()}
        fresh[rest_key] = rest
    cache.put_many(fresh)
    every = {**rest, **{path: text for part in found.values() for path, text in part.items()}, **formatted}
    return Generated(dict(sorted(every.items())), context.warnings)
