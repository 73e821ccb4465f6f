"""Where the generators get their choices: hypothesis draws (shrinkable) or a seeded Random (fast)."""

from __future__ import annotations

import random
from typing import Any, Callable, Protocol, Sequence, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")
Case = dict[str, bytes]  # a docs tree: {docs-relative path: page bytes}


class Source(Protocol):
    """Where the generators get their choices from."""

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        ...

    def choice(self, options: Sequence[T]) -> T:
        """One of `options`."""
        ...


class RandomSource:
    """Choices from a seeded `random.Random`."""

    def __init__(self, rnd: random.Random) -> None:
        """Wrap `rnd`."""
        self.rnd = rnd

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return self.rnd.randint(lo, hi)

    def choice(self, options: Sequence[T]) -> T:
        """One of `options`."""
        return options[self.rnd.randrange(len(options))]


class DrawSource:
    """Choices drawn by hypothesis (shrinkable)."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        """Wrap a composite strategy's `draw`."""
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return int(self.draw(st.integers(lo, hi)))

    def choice(self, options: Sequence[T]) -> T:
        """One of `options` (shrinks towards the first)."""
        return options[self.draw(st.integers(0, len(options) - 1))]
