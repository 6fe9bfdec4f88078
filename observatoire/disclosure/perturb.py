"""Perturbation witnesses on slabs: certify hidden cells, and repair by hiding what must move.

For a hidden cell c of value v, a *witness* is a perturbation y of the true values such that
v + y keeps every additive relation, moves no published cell, keeps every hidden cell >= 1 and
lifts c to >= k (or, when v >= k already, moves c at all). It proves that the attacker cannot
narrow c to [1, k-1] nor pin it. Hiding more cells only relaxes the attacker's system, so a
witness stays valid while the hidden set grows.

Witnesses are searched on slabs (slabs.py), each with its own warm-started HiGHS model
(slab_lp.py); a large search is shared out across processes (parts.py). Two uses:
- *certify* (audit): only hidden cells may move; a feasible lift certifies it.
- *repair* (protection): published cells may move at a price (dearer for totals, dearer still
  for territory totals); the cheapest perturbation is found by linear programming and the
  published cells it moves are hidden. Unlike a single box, the lift is spread over many small
  hidden cells, so year totals of small territories are rarely needed.

Several far-apart cells of one slab (different incident family and period parent) are lifted
in one solve (a batch); when that is infeasible the batch is split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from observatoire.disclosure import parts
from observatoire.disclosure.cube import BoolArray, Cube, FloatArray, IntArray
from observatoire.disclosure.ranges import EPS, Ranges
from observatoire.disclosure.slab_lp import SlabLP, cell_weights
from observatoire.disclosure.slabs import SlabGeometry

# Cells lifted in one solve: more saves LPs but lifts compete for the same small cells and
# hide more totals (see docs/secret-statistique-recherche.md).
BATCH = 4


@dataclass
class Perturber:
    """Slab models of one cube, kept across calls so that each solve starts warm."""

    cube: Cube
    k: int
    repair: bool  # True: published cells may move (and are then hidden)
    priority: FloatArray | None = None  # per-cell price of hiding, instead of cell_weights
    floor: FloatArray | None = None  # per-cell least value for the attacker (default 1)
    solves: int = 0
    _models: dict[tuple[int, ...], tuple[SlabLP, BoolArray]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cube = self.cube
        self.relations = cube.relations.tocsc()
        self.tc, self.ic, self.pc = np.unravel_index(np.arange(cube.n_cells), cube.shape)
        self.geometry = SlabGeometry(cube)
        # What the leaves of a territory can give up while staying >= 1: lifts batched
        # together in one territory must fit in it, or they would move its totals.
        leaves = [np.flatnonzero([not c for c in d.children]) for d in cube.dims[1:]]
        grid = cube.values.reshape(cube.shape)[:, leaves[0], :][:, :, leaves[1]]
        self.slack = np.maximum(grid - 1, 0).reshape(cube.shape[0], -1).sum(axis=1)
        self.weights = np.zeros(0)
        if self.repair:
            self.weights = cell_weights(cube) if self.priority is None else self.priority
        i_par = np.array(cube.dims[1].parent_index)
        p_par = np.array(cube.dims[2].parent_index)
        self.family = np.where(i_par[self.ic] >= 0, i_par[self.ic], self.ic)
        self.season = np.where(p_par[self.pc] >= 0, p_par[self.pc], self.pc)

    def _model(self, key: tuple[int, ...], hidden: BoolArray, blocked: BoolArray) -> SlabLP:
        got = self._models.get(key)
        if got is not None:
            model, seen = got
            if self.repair:  # cells hidden since the model was built now move almost freely
                now = hidden[model.cols]
                fresh = np.flatnonzero(now & ~seen)
                model.make_free(fresh)
                seen |= now
            return model
        inside = np.ones(self.cube.n_cells, dtype=bool) if not key else np.isin(self.tc, key)
        movable = ~blocked if self.repair else hidden
        cols = np.flatnonzero(inside & movable)
        cost = self.weights[cols] if self.repair else np.zeros(cols.size)
        model = SlabLP(
            self.relations, cols, self.cube.values, cost, free=hidden[cols], floor=self.floor
        )
        self._models[key] = (model, hidden[cols].copy())
        return model

    def run(
        self,
        targets: IntArray,
        hidden: BoolArray,
        blocked: BoolArray,
        ranges: Ranges,
        processes: int = 1,
        narrow_only: bool = False,
    ) -> IntArray:
        """Find witnesses for `targets`; widen `ranges` (and hide cells when repairing).

        With many targets, the narrow slabs are shared out in parts (parts.py), run in
        parallel processes when `processes` > 1. Returns the targets for which no witness
        exists even on the whole cube.
        """
        groups: parts.Groups = {}
        for c in targets.tolist():
            groups.setdefault(self.geometry.slab(int(self.tc[c])), []).append(c)
        if targets.size >= parts.PARTS_MIN_TARGETS and len(groups) >= parts.PARTS:
            apart = partial(
                _narrow_part,
                self.cube,
                self.k,
                self.repair,
                blocked=blocked,
                priority=self.priority,
            )
            too_narrow, solves = parts.search_in_parts(
                groups,
                hidden,
                ranges,
                lambda part: self.narrow(part, hidden, blocked, ranges),
                apart,
                processes,
            )
            self.solves += solves
        else:
            too_narrow = self.narrow(groups, hidden, blocked, ranges)
        if narrow_only:  # the caller tries the rest another way
            return np.array(sorted(too_narrow), dtype=np.int64)
        # The slab was too narrow: a medium one (enough for most), a wide one, then the cube.
        for width in (1, 2):
            wider: parts.Groups = {}
            for c in too_narrow:
                wider.setdefault(self.geometry.slab(int(self.tc[c]), width), []).append(c)
            too_narrow = wider.pop((), []) + self.narrow(wider, hidden, blocked, ranges)
        failed = self._batches((), too_narrow, hidden, blocked, ranges) if too_narrow else []
        return np.array(sorted(failed), dtype=np.int64)

    def narrow(
        self, groups: parts.Groups, hidden: BoolArray, blocked: BoolArray, ranges: Ranges
    ) -> list[int]:
        """Witnesses on each group's slab; return the cells that need a wider one."""
        out: list[int] = []
        for key in sorted(groups):
            out += self._batches(key, groups[key], hidden, blocked, ranges)
        return out

    def _batches(
        self,
        key: tuple[int, ...],
        cells: list[int],
        hidden: BoolArray,
        blocked: BoolArray,
        ranges: Ranges,
    ) -> list[int]:
        v = self.cube.values
        failed: list[int] = []
        pending = ranges.unsafe(cells, self.k)
        while pending:
            batch: list[int] = []
            groups: set[tuple[int, int]] = set()
            lift: dict[int, int] = {}
            for c in pending:  # one cell per (incident family, period parent): less rivalry
                if len(batch) >= BATCH:
                    break
                group = (int(self.family[c]), int(self.season[c]))
                tn = int(self.tc[c])
                need = lift.get(tn, 0) + max(self.k - int(v[c]), 1)
                if batch and (group in groups or 2 * need > self.slack[tn]):
                    continue
                batch.append(c)
                groups.add(group)
                lift[tn] = need
            stack = [batch]
            while stack:
                part = ranges.unsafe(stack.pop(), self.k)
                if not part:
                    continue
                model = self._model(key, hidden, blocked)
                arr = np.array(part, dtype=np.int64)
                y = model.move(arr, np.maximum(self.k - v[arr], 1))
                if y is None and len(part) == 1 and v[part[0]] >= self.k:
                    y = model.move(arr, np.ones(1), up=False)  # a large cell may also go down
                self.solves += 1
                if y is None:
                    if len(part) == 1:
                        failed.append(part[0])
                    else:
                        stack += [part[: len(part) // 2], part[len(part) // 2 :]]
                    continue
                self._absorb(model, y, hidden, ranges)
            chosen = set(batch)
            pending = ranges.unsafe([c for c in pending if c not in chosen], self.k)
        return failed

    def _absorb(self, model: SlabLP, y: FloatArray, hidden: BoolArray, ranges: Ranges) -> None:
        moved = np.abs(y) > EPS
        cells = model.cols[moved]
        if self.repair:
            hidden[cells] = True
        ranges.absorb(cells, self.cube.values[cells] + y[moved])


def _narrow_part(
    cube: Cube,
    k: int,
    repair: bool,
    groups: parts.Groups,
    hidden: BoolArray,
    ranges: Ranges,
    *,
    blocked: BoolArray,
    priority: FloatArray | None = None,
    floor: FloatArray | None = None,
) -> parts.PartResult:
    """One part of a shared search (parts.py), in this process or another."""
    perturber = Perturber(cube, k, repair, priority, floor)
    out = perturber.narrow(groups, hidden, blocked, ranges)
    return hidden, ranges, out, perturber.solves
