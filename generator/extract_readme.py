"""Extraction rules for the repository README/USAGE pages: title, servers, auth, retries, names."""

from __future__ import annotations

import re
from typing import Optional

from . import ir
from .examples import read_python_example
from .extract import ExtractContext, PageFacts, _Acc, _freeze, page_title
from .reader import Page, Section
from .tables import code_name, description_text, tables

_VARIABLE = re.compile(r"`(?P<name>\w+)`\s*\(default is `(?P<default>[^`]*)`\)")
_GROUP_LINK = re.compile(r"^\[(?P<name>[^\]]+)\]\((?P<target>[^)]+)\)$")
_TS_IMPORT = re.compile(r"import\s*\{\s*(?P<cls>[A-Z]\w*)\s*\}\s*from\s*\"(?P<pkg>[^\"/]+)\"")
_SCHEMES = {"apikey": "api_key", "oauth2": "oauth2", "http": "basic", "openidconnect": "bearer"}


def _all_sections(section: Section) -> list[Section]:
    found = [section]
    for sub in section.subsections:
        found.extend(_all_sections(sub))
    return found


def _servers(root: Section, ctx: ExtractContext) -> tuple[ir.Server, ...]:
    """Rows of a `| # | Server | Variables |` table."""
    servers = []
    for sec in _all_sections(root):
        for view in tables(sec):
            col = view.column("server")
            if col < 0:
                continue
            for row in view.block.rows:
                url = view.cell(row, col).strip().strip("`")
                variables = tuple(sorted((m.group("name"), m.group("default"))
                                         for m in _VARIABLE.finditer(view.cell(row, view.column("variables")))))
                servers.append(ir.Server(url=url, source=ir.Span(ctx.file, row.line), variables=variables,
                                         description=description_text(view.cell(row, view.column("description")))))
    return tuple(servers)


def _scheme(type_text: str, scheme_text: str) -> str:
    kind = _SCHEMES.get(type_text.lower().replace(" ", ""), "other")
    if kind == "basic" and "bearer" in scheme_text.lower():
        return "bearer"
    return kind


def _auth(root: Section, ctx: ExtractContext) -> tuple[ir.AuthScheme, ...]:
    """Rows of the Authentication section's `| Name | Type | Scheme |` table."""
    section = root.find("Authentication")
    schemes = []
    for sec in _all_sections(section) if section else ():
        for view in tables(sec):
            if view.column("scheme") < 0 or view.column("type") < 0:
                continue
            for row in view.block.rows:
                name, _ = code_name(view.cell(row, 0))
                type_text = view.cell(row, view.column("type"))
                scheme_text = view.cell(row, view.column("scheme"))
                schemes.append(ir.AuthScheme(name=name, scheme=_scheme(type_text, scheme_text),
                                             source=ir.Span(ctx.file, row.line), description=scheme_text))
    return tuple(schemes)


def example_names(root: Section) -> tuple[str, str, int]:
    """Package and SDK class from the first example that constructs the SDK."""
    for sec in _all_sections(root):
        for block in sec.blocks:
            if block.kind != "code":
                continue
            if block.info == "python":
                facts = read_python_example(block.text)
                if facts.sdk_class:
                    return facts.package, facts.sdk_class, block.line
            match = _TS_IMPORT.search(block.text) if block.info == "typescript" else None
            if match:
                return match.group("pkg"), match.group("cls"), block.line
    return "", "", 0


def _group_titles(root: Section) -> tuple[tuple[str, str], ...]:
    """(linked group page, SDK attribute path) from `### [nest.first](docs/sdks/x/README.md)` headings."""
    found = []
    for sec in _all_sections(root):
        match = _GROUP_LINK.match(sec.title.strip())
        if match and match.group("target").endswith(".md"):
            found.append((match.group("target"), code_name(match.group("name"))[0]))
    return tuple(found)


def rule_readme(page: Page, ctx: ExtractContext) -> Optional[PageFacts]:
    """The repository README.md / USAGE.md (recognised by path, not content)."""
    if not ctx.is_readme:
        return None
    acc = _Acc()
    h1 = page_title(page)
    root = page.root
    package, sdk_class, line = example_names(root)
    retries = ir.Retries(strategy="backoff") if root.find("Retries") else ir.Retries()
    api = ir.Api(title=h1.title.strip() if h1 else "", package=package, sdk_class=sdk_class,
                 servers=_servers(root, ctx), auth=_auth(root, ctx), retries=retries,
                 source=ir.Span(ctx.file, line or (h1.line if h1 else 1)))
    return _freeze(ctx, "readme", acc, api=api, group_titles=_group_titles(root))
