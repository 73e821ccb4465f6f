"""Planning a formatting run: which blocks are already in black's layout (kept as they are,
after a compile check) and which statements black must see. On many blocks and several cores
the planning runs in forked workers, each on an interleaved share of the blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import format_lines
from .workers import cores, fork_map

_PARALLEL_MIN = 200  # blocks before forking workers pays for itself
_SHARED: list[str] = []  # the blocks of the run in progress, inherited by forked workers


@dataclass
class Pending:
    """A block to format: its plan (None: black formats it whole) and black's inputs for it."""

    block: str
    plan: Optional[format_lines.Plan]
    jobs: dict[int, str]


def plan_one(block: str) -> Pending:
    """The plan of one block and the statements black must format."""
    plan = format_lines.plan_block(block)
    if plan is None:
        return Pending(block, None, {})
    jobs = {i: format_lines.wrap_statement(s) for i, s in enumerate(plan.statements)
            if s.kind == "code" and not s.trusted}
    return Pending(block, plan, jobs)


def compiles(block: str) -> bool:
    """The block is valid Python on its own."""
    try:
        compile(block, "<block>", "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


Kept = dict[str, Optional[str]]  # block -> its text (None: it does not compile)


def _plan_share(share: tuple[int, int]) -> tuple[Kept, list[Pending]]:
    """Plan every `count`-th block from `index` on (`share` = (index, count))."""
    index, count = share
    kept: Kept = {}
    pending: list[Pending] = []
    for block in _SHARED[index::count]:
        item = plan_one(block)
        if item.plan is not None and not item.jobs:
            text = format_lines.assemble(item.plan, {})
            kept[block] = text if compiles(text) else None
        else:
            pending.append(item)
    return kept, pending


def plan_blocks(blocks: list[str]) -> tuple[Kept, list[Pending]]:
    """Blocks black leaves alone (with their text, compiled) and the others' plans, in the order
    of `blocks` (a worker's share keeps its order; shares are merged by the blocks' order)."""
    count = cores() if len(blocks) >= _PARALLEL_MIN else 1
    _SHARED[:] = blocks
    try:
        shares = fork_map(_plan_share, [(index, count) for index in range(count)])
    finally:
        _SHARED.clear()
    kept: Kept = {}
    found: dict[str, Pending] = {}
    for share_kept, share_pending in shares:
        kept.update(share_kept)
        found.update((p.block, p) for p in share_pending)
    return kept, [found[b] for b in blocks if b in found]
