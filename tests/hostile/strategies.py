"""Generators of hostile docs trees, shared by the seeded pytest run and the long fuzz run.

Every generator takes a `Source` of choices (sources.py): `DrawSource` wraps a hypothesis
`draw` (so pytest shrinks failures), `RandomSource` wraps `random.Random` (fast, for
`fuzz/fuzz_docs.py`; a case is reproduced from its seed and index). Pages come from
generators.py (built from dialect tokens and hostile names) and mutations.py (damaged
corpus pages); the hypothesis strategies at the bottom are the same generators behind
`st.composite`. A case is a docs tree: `{docs-relative path: page bytes}`.
"""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from .generators import (
    GROUP_PATHS, MODEL_PATHS, NAMES, PRIMITIVES, enum_page, group_page, model_page, readme_page, type_text, union_page,
)
from .mutations import corpus_pages, encode, mutate, mutated_tree
from .sources import Case, DrawSource, RandomSource, Source

__all__ = ["Case", "DrawSource", "NAMES", "RandomSource", "Source", "any_tree", "corpus_pages", "generated_tree",
           "generated_trees", "mutated_tree", "mutated_trees", "type_cells"]


def generated_tree(src: Source, max_repeat: int = 2000) -> Case:
    """One to three generated pages of one dialect, a third of them mutated afterwards."""
    dialect = src.choice(sorted(PRIMITIVES))
    pages: Case = {}
    for _ in range(src.integer(1, 3)):
        kind = src.integer(0, 9)
        stem = src.choice(["foo", "bar", "x", "class", "user", "deep"])
        if kind <= 3:
            rel, page = src.choice(MODEL_PATHS).format(n=stem), model_page(src, dialect)
        elif kind == 4:
            rel, page = src.choice(MODEL_PATHS).format(n=stem), enum_page(src)
        elif kind == 5:
            rel, page = src.choice(MODEL_PATHS).format(n=stem), union_page(src, dialect)
        elif kind <= 8:
            rel, page = src.choice(GROUP_PATHS).format(n=stem), group_page(src, dialect)
        else:
            rel, page = "README.md", readme_page(src)
        if src.integer(0, 2) == 0:
            page = mutate(src, page, max_repeat)
        pages[rel] = encode(src, page)
    return pages


def any_tree(src: Source, max_repeat: int = 2000) -> Case:
    """Half mutated corpus pages (when the corpora exist), half generated pages."""
    if corpus_pages() and src.integer(0, 1):
        return mutated_tree(src, max_repeat)
    return generated_tree(src, max_repeat)


# --- hypothesis strategies ---------------------------------------------------------------

@st.composite
def generated_trees(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Case:
    """Generated model/enum/union/group/README pages."""
    return generated_tree(DrawSource(draw))


@st.composite
def mutated_trees(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Case:
    """Mutated corpus pages (needs the shared corpora)."""
    return mutated_tree(DrawSource(draw))


@st.composite
def type_cells(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[str, str]:
    """(dialect, Type cell text)."""
    src = DrawSource(draw)
    dialect = src.choice(sorted(PRIMITIVES))
    return dialect, type_text(src, dialect)
