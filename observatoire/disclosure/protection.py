"""The disclosure engine: `protect()` decides which cells of a cube to hide.

The pipeline, each step in its module:
1. primary suppression (primary.py): counts below k, or below k once the largest
   association's share is removed;
2. line closing (`_close_lines`, here): hide cheap cells until no relation holds a single
   hidden cell or caps its hidden cells below k;
3. witness search (perturb.py, on slabs.py, in parts.py): for each hidden cell not yet safe
   (ranges.py), the cheapest perturbation that lifts it to k on a slab around it;
4. LP (slab_lp.py): each search is a warm-started HiGHS model;
5. repair: the published cells a witness moves are hidden, and steps 2 to 4 run again until
   every hidden cell is safe;
6. audit (audit.py): publication/auditing.py re-checks a stored publication against every
   relation with box witnesses (boxes.py), slab witnesses and block LPs (lp.py, local.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from observatoire.disclosure.cube import BoolArray, CellKey, Cube, FloatArray, IntArray
from observatoire.disclosure.perturb import Perturber
from observatoire.disclosure.primary import primary_mask
from observatoire.disclosure.ranges import Ranges


class ProtectionError(RuntimeError):
    """Raised when the cells cannot be protected under the forced constraints."""

    def __init__(self, message: str, exposed: list[CellKey]) -> None:
        shown = ", ".join(map(str, exposed[:20])) + (" ..." if len(exposed) > 20 else "")
        super().__init__(f"{message}: {shown}")
        self.exposed = exposed


@dataclass(frozen=True)
class ProtectionStats:
    """Figures of one protect() run."""

    cells: int
    primaries: int
    secondaries: int
    seconds: float
    audit_passes: int
    primary_seconds: float
    secondary_seconds: float
    audit_seconds: float
    lp_solves: int


@dataclass(frozen=True)
class Protection:
    """A protected cube: what is hidden and why."""

    cube: Cube
    k: int
    hidden: frozenset[CellKey]
    primary: frozenset[CellKey]
    secondary: frozenset[CellKey]
    stats: ProtectionStats
    hidden_mask: BoolArray  # every cell not shown: hidden (secret) and unpublished ones
    unpublished_mask: BoolArray  # cells of tables outside the publication plan

    @property
    def secret_mask(self) -> BoolArray:
        """Cells of published tables shown as « secret »."""
        return self.hidden_mask & ~self.unpublished_mask

    def published(self, key: CellKey) -> int | None:
        """The published value of a cell, None when hidden or unpublished."""
        i = self.cube.index_of(key)
        return None if self.hidden_mask[i] else int(self.cube.values[i])

    def published_cells(self) -> frozenset[CellKey]:
        """Every cell of the cube that is published (to force them in the next vintage)."""
        keys = self.cube.cells
        return frozenset(keys[int(i)] for i in np.flatnonzero(~self.hidden_mask))


def _cost(cube: Cube, weights: FloatArray | None) -> np.ndarray:
    # Small cells cost least; totals are dearer than leaves of the same value. With weights
    # (the map's totals dearest), the weight of the cell's table decides, its value only a
    # little: a large regional total is worth hiding before a small département's.
    if weights is None:
        return cube.values.astype(np.float64) * (1.0 + 0.5 * cube.agg_level)
    return np.log2(2.0 + cube.values) * weights


def _close_lines(
    cube: Cube,
    pattern: sp.csr_matrix,
    by_cell: sp.csc_matrix,
    hidden: BoolArray,
    blocked: BoolArray,
    cost: np.ndarray,
    k: int,
    needs: BoolArray,
) -> IntArray:
    """Hide cheap cells until no relation pins or caps a hidden cell; return stuck rows.

    A relation needs more hidden cells when it holds exactly one, or when its total is
    published and its hidden children cannot reach k: each is at most S - (m - 1). Only
    hidden cells that need protection (`needs`) count: an unpublished cell outside the plan
    that is not sensitive may be derivable.
    """
    rel = cube.relations
    kids = (rel > 0).astype(np.int64).tocsr()
    par = (rel < 0).astype(np.int64).tocsr()
    stuck = np.zeros(0, dtype=np.int64)
    while True:
        h = hidden.astype(np.int64)
        hn = (hidden & needs).astype(np.int64)
        cnt = pattern @ h
        m = kids @ (hidden & needs & (cube.values > 0)).astype(np.int64)  # others may be 0
        slack = kids @ (cube.values * h) - m + 1
        short = (par @ h == 0) & (kids @ hn >= 1) & (slack < k)
        needy = np.flatnonzero(((cnt == 1) & (pattern @ hn == 1)) | short)
        if needy.size == 0:
            return stuck
        deficit = np.where(short[needy], k - slack[needy], 0)
        sub = pattern[needy]
        rr = np.repeat(np.arange(needy.size), np.diff(sub.indptr))
        cc = sub.indices.astype(np.int64)
        ok = ~hidden[cc] & ~blocked[cc]
        lone = needy[cnt[needy] == 1]
        stuck = np.setdiff1d(lone, needy[rr[ok]])
        rr, cc = rr[ok], cc[ok]
        if rr.size == 0:
            return stuck
        # A candidate that fixes several relations at once is worth more; one whose
        # slack (value - 1) covers the deficit beats a cheaper one that does not.
        shared = np.bincount(cc, minlength=hidden.size)[cc]
        eff = cost[cc] / shared
        weak = (cube.values[cc] - 1) < deficit[rr]
        order = np.lexsort((cc, eff, weak, rr))
        first = order[np.r_[True, rr[order][1:] != rr[order][:-1]]]
        first = first[np.lexsort((cc[first], eff[first], weak[first]))]
        pos = np.full(pattern.shape[0], -1, dtype=np.int64)
        pos[needy] = np.arange(needy.size)
        done = np.zeros(needy.size, dtype=bool)
        for r, c in zip(rr[first].tolist(), cc[first].tolist(), strict=True):
            if done[r]:
                continue
            hidden[c] = True
            hit = pos[by_cell.indices[by_cell.indptr[c] : by_cell.indptr[c + 1]]]
            done[hit[hit >= 0]] = True


def _twins(
    pattern: sp.csr_matrix, weights: FloatArray | None, keep: BoolArray | None
) -> tuple[FloatArray | None, BoolArray | None]:
    """A total with a single child equals it (a région of one département): hiding one hides
    the other, so both get the larger weight, and both are kept when one is."""
    rows = np.flatnonzero(np.diff(pattern.indptr) == 2)
    pairs = pattern.indices[pattern.indptr[rows][:, None] + np.arange(2)]
    a, b = pairs[:, 0], pairs[:, 1]
    if weights is not None:
        weights = weights.copy()
        for _ in range(3):  # chains of twins are short (three hierarchies)
            top = np.maximum(weights[a], weights[b])
            np.maximum.at(weights, a, top)
            np.maximum.at(weights, b, top)
    if keep is not None:
        keep = keep.copy()
        for _ in range(3):
            either = keep[a] | keep[b]
            keep[a] |= either
            keep[b] |= either
    return weights, keep


def _derivable(pattern: sp.csr_matrix, known: BoolArray) -> BoolArray:
    """Close the known cells under "a relation with one unknown cell determines it"."""
    known = known.copy()
    while True:
        unknown = ~known
        rows = np.flatnonzero(pattern @ unknown.astype(np.int64) == 1)
        if rows.size == 0:
            return known
        members = pattern[rows].indices
        new = np.unique(members[unknown[members]])
        known[new] = True


def protect(
    cube: Cube,
    k: int = 11,
    *,
    forced_hidden: Iterable[CellKey] = frozenset(),
    forced_published: Iterable[CellKey] = frozenset(),
    certified: Iterable[CellKey] = frozenset(),
    unpublished: BoolArray | None = None,
    weights: FloatArray | None = None,
    keep: BoolArray | None = None,
    max_passes: int = 50,
    processes: int = 1,
) -> Protection:
    """Primary plus secondary suppression such that the audit finds no exposed hidden cell.

    Every hidden cell ends with a perturbation witness (see perturb.py), except `certified`
    ones: hidden cells of an earlier audited vintage whose protection carries over (see
    publication/protection.py). `processes` > 1 lets the witness search use that many
    processes on a large cube (see perturb.py).

    `unpublished` (a mask over cells) marks the cells of tables the publication plan does not
    publish. They are never shown, so they start hidden: unknowns for the attacker, free to
    move in witnesses down to 0 (the « hidden >= 1 » rule comes from zeros being published,
    which holds for published tables only). Primary suppression applies to published cells
    (DOMAIN.md), so an unpublished cell needs no witness of its own; it only widens the
    attacker's system.

    `weights` (per cell; default: slab_lp.cell_weights) is the price of hiding a cell as a
    secondary: when several patterns protect a cell, the cheapest hides detail rather than
    the totals readers use most (the map's totals, see publication/plan.py). `keep` marks
    cells hidden as secondaries only when no pattern without them exists on the cell's narrow
    slab: each witness search first runs there with them fixed, then, for the cells it could
    not lift, with them movable at their price (wider slabs as needed).
    """
    t0 = time.perf_counter()
    unpub = np.zeros(cube.n_cells, dtype=bool) if unpublished is None else unpublished
    prim = primary_mask(cube, k) & ~unpub  # primary suppression applies to published cells
    t_prim = time.perf_counter() - t0
    fh = cube.mask_of(forced_hidden)
    fp = cube.mask_of(forced_published)
    keys = cube.cells
    if np.any(fh & fp):
        bad = [keys[int(i)] for i in np.flatnonzero(fh & fp)]
        raise ProtectionError("cells both forced hidden and forced published", bad)
    if np.any(prim & fp):
        bad = [keys[int(i)] for i in np.flatnonzero(prim & fp)]
        raise ProtectionError("primary cells were published in an earlier vintage", bad)
    hidden = prim | fh
    needs = ~unpub | fh  # hidden cells that must be safe: those of published tables
    pattern = abs(cube.relations).astype(np.int64).tocsr()
    by_cell = pattern.tocsc()
    # Zeros of published tables are published; those outside the plan are unknowns (>= 0).
    blocked = _derivable(pattern, fp | ((cube.values == 0) & ~unpub))
    hidden |= unpub & ~blocked
    if np.any(blocked & hidden):
        bad = [keys[int(i)] for i in np.flatnonzero(blocked & hidden)]
        raise ProtectionError("cells to hide are derivable from earlier published cells", bad)
    if weights is not None or keep is not None:
        weights, keep = _twins(pattern, weights, keep)
    cost = _cost(cube, weights)
    ranges = Ranges.of_values(cube.values)
    done = cube.mask_of(certified) & hidden  # proven by an earlier audited vintage
    t_sec = t_aud = 0.0
    passes = 0
    floor = None if unpublished is None else np.where(unpub, 0.0, 1.0)
    perturber = Perturber(cube, k, repair=True, priority=weights, floor=floor)
    # Cells kept published while another pattern exists: first searched without them.
    kept = np.zeros(cube.n_cells, dtype=bool) if keep is None else keep & ~hidden
    fallback = (
        Perturber(cube, k, repair=True, priority=weights, floor=floor) if kept.any() else None
    )
    while True:
        t1 = time.perf_counter()
        stuck = _close_lines(cube, pattern, by_cell, hidden, blocked | kept, cost, k, needs)
        if stuck.size and fallback is not None:
            stuck = _close_lines(cube, pattern, by_cell, hidden, blocked, cost, k, needs)
        t_sec += time.perf_counter() - t1
        if stuck.size:
            lone = np.unique(pattern[stuck].indices)
            bad = [keys[int(i)] for i in lone[hidden[lone] & needs[lone]]]
            raise ProtectionError(
                "hidden cells determined by a relation whose other cells are zero or forced"
                " published",
                bad,
            )
        # Perturbation LPs, which may hide more cells. Unlike the audit, no box witnesses
        # first: each LP's witness certifies several cells, so the box search costs more
        # than the few LPs it spares.
        hid = np.flatnonzero(hidden & needs & ~done)
        pend = hid[~ranges.safe(hid, k)]
        if pend.size == 0:
            break
        passes += 1
        if passes > max_passes:
            raise ProtectionError(f"still exposed after {passes} passes", _keys(keys, pend))
        t1 = time.perf_counter()
        if fallback is None:
            failed = perturber.run(pend, hidden, blocked, ranges, processes)
        else:  # kept cells fixed on the narrow slabs; where that fails, movable at their price
            mine = kept[pend]  # kept cells hidden since: never columns of `perturber`
            failed = perturber.run(pend[~mine], hidden, blocked | kept, ranges, processes, True)
            failed = np.concatenate([failed, pend[mine]])
            failed = fallback.run(failed, hidden, blocked, ranges, processes)
        t_aud += time.perf_counter() - t1
        if failed.size:
            raise ProtectionError(
                "hidden cells that no perturbation can lift, even hiding every other cell",
                _keys(keys, failed),
            )
    sec = hidden & ~prim & ~unpub
    stats = ProtectionStats(
        cells=cube.n_cells,
        primaries=int(prim.sum()),
        secondaries=int(sec.sum()),
        seconds=time.perf_counter() - t0,
        audit_passes=passes,
        primary_seconds=t_prim,
        secondary_seconds=t_sec,
        audit_seconds=t_aud,
        lp_solves=perturber.solves,
    )
    return Protection(
        cube=cube,
        k=k,
        hidden=frozenset(_keys(keys, np.flatnonzero(hidden))),
        primary=frozenset(_keys(keys, np.flatnonzero(prim))),
        secondary=frozenset(_keys(keys, np.flatnonzero(sec))),
        stats=stats,
        hidden_mask=hidden,
        unpublished_mask=unpub,
    )


def _keys(keys: list[CellKey], idx: IntArray) -> list[CellKey]:
    return [keys[int(i)] for i in idx]
