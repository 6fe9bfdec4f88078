"""Share a large witness search out in independent parts, run in parallel processes.

Every part starts from the same hidden cells and ranges. A witness found by one part moves
only cells hidden in the end (its own hides, or cells hidden before), and hiding more only
relaxes the attacker's system: the union of the parts' hidden cells with all their witnesses
is sound. Parts may hide a little more than one search would, not knowing each other's hides.
The split depends only on the targets, so the result is the same in one process or several,
on any machine.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise

import numpy as np

from observatoire.disclosure.cube import BoolArray
from observatoire.disclosure.ranges import Ranges

PARTS = 2  # one per core of the machine the observatory is sized for
PARTS_MIN_TARGETS = 5000  # below, a second process (~2 s to start) does not pay
# Share of the targets in the first part: it runs in this process while the others start,
# so it gets more than its equal share for the parts to end together.
FIRST_PART = 0.56

Groups = dict[tuple[int, ...], list[int]]  # targets per slab
PartResult = tuple[BoolArray, Ranges, list[int], int]  # hidden, ranges, too narrow, LP solves


def split(groups: Groups) -> list[Groups]:
    """The slabs, in key order, cut into `PARTS` parts by number of targets."""
    keys = sorted(groups)
    sizes = np.cumsum([len(groups[key]) for key in keys])
    shares = FIRST_PART + (1 - FIRST_PART) * np.arange(PARTS - 1) / (PARTS - 1)
    cut = np.searchsorted(sizes, sizes[-1] * shares)
    bounds = [0, *sorted({int(c) + 1 for c in cut if int(c) + 1 < len(keys)}), len(keys)]
    return [{key: groups[key] for key in keys[a:b]} for a, b in pairwise(bounds)]


def search_in_parts(
    groups: Groups,
    hidden: BoolArray,
    ranges: Ranges,
    here: Callable[[Groups], list[int]],
    apart: Callable[[Groups, BoolArray, Ranges], PartResult],
    processes: int,
) -> tuple[list[int], int]:
    """Search the first part with `here` (on the live state), the others with `apart` (on
    copies of the starting state, in other processes when `processes` > 1); merge them into
    `hidden` and `ranges`. Returns the cells that need a wider slab and the others' LP solves.
    """
    parts = split(groups)
    start = (hidden.copy(), ranges.copy())
    results: list[PartResult] = []
    if processes > 1:
        spawn = multiprocessing.get_context("spawn")  # no fork: callers may hold threads
        with ProcessPoolExecutor(min(processes, len(parts)) - 1, mp_context=spawn) as pool:
            futures = [pool.submit(apart, part, *start) for part in parts[1:]]
            out = here(parts[0])
            results = [future.result() for future in futures]
    else:
        out = here(parts[0])
        for part in parts[1:]:
            results.append(apart(part, start[0].copy(), start[1].copy()))
    solves = 0
    for part_hidden, part_ranges, part_out, part_solves in results:
        hidden |= part_hidden
        ranges.merge(part_ranges)
        out += part_out
        solves += part_solves
    return out, solves
