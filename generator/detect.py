"""Dialect detection: which language a docs tree or a loose page is written for."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .reader import Page, Section

# Evidence in Type cells, by dialect; each match is one vote.
_TYPE_VOTES: dict[str, re.Pattern[str]] = {
    "python": re.compile(r"Optional\[|\*str\*|\*int\*|\*bool\*|List\[|Dict\[str|list\[|dict\[str"),
    # `*string*` is shared by TypeScript, PHP and Go, so it is no evidence for any of them.
    "typescript": re.compile(r"\*number\*|\*boolean\*|Record<string|\*any\*|\)\[\]|\*\[\]$"),
    "php": re.compile(r"\*\?\w+\*|\[\?|array<|\*mixed\*"),
    "java": re.compile(r"\*String\*|\*Long\*|\*Boolean\*|List<|Map<String"),
    "go": re.compile(r"\*\*\w+\*|\[\]\*|\[\]\[|\*int64\*|map\[string\]|\[\*|\*\[\]byte\*|interface\{\}|\*bool\*"),
}
_FENCES = {"python": "python", "py": "python", "typescript": "typescript", "ts": "typescript",
           "php": "php", "java": "java", "go": "go", "csharp": "csharp", "ruby": "ruby"}


def _sections(section: Section) -> Iterable[Section]:
    yield section
    for sub in section.subsections:
        yield from _sections(sub)


def _votes(page: Page) -> Counter[str]:
    votes: Counter[str] = Counter()
    for sec in _sections(page.root):
        for block in sec.blocks:
            if block.kind == "code" and block.info.lower() in _FENCES:
                votes[_FENCES[block.info.lower()]] += 5
            elif block.kind == "table":
                for row in block.rows:
                    cell = row.cells[1].text if len(row.cells) > 1 else ""
                    for dialect, pattern in _TYPE_VOTES.items():
                        votes[dialect] += len(pattern.findall(cell))
    return votes


def page_votes(page: Page) -> tuple[tuple[str, int], ...]:
    """A page's evidence as sorted (dialect, votes) pairs with votes > 0 (a value a cache can keep)."""
    return tuple(sorted((name, count) for name, count in _votes(page).items() if count > 0))


def dialect_of(votes: Iterable[tuple[str, int]], known: Iterable[str]) -> str:
    """The dialect among `known` with most votes in (dialect, votes) pairs; "" when there are none."""
    allowed = set(known)
    total: Counter[str] = Counter()
    for name, count in votes:
        total[name] += count
    ranked = [(count, name) for name, count in total.items() if name in allowed and count > 0]
    return max(ranked)[1] if ranked else ""


def detect_dialect(pages: Iterable[Page], known: Iterable[str]) -> str:
    """The dialect with most evidence among `known`; "" when there is none."""
    return dialect_of((vote for page in pages for vote in page_votes(page)), known)
