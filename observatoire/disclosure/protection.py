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

from observatoire.disclosure.cube import BoolArray, CellKey, Cube, IntArray
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
    hidden_mask: BoolArray

    def published(self, key: CellKey) -> int | None:
        """The published value of a cell, None when hidden."""
        i = self.cube.index_of(key)
        return None if self.hidden_mask[i] else int(self.cube.values[i])

    def published_cells(self) -> frozenset[CellKey]:
        """Every cell of the cube that is published (to force them in the next vintage)."""
        keys = self.cube.cells
        return frozenset(keys[int(i)] for i in np.flatnonzero(~self.hidden_mask))


def _cost(cube: Cube) -> np.ndarray:
    # Small cells cost least; totals are dearer than leaves of the same value.
    return cube.values.astype(np.float64) * (1.0 + 0.5 * cube.agg_level)


def _close_lines(
    cube: Cube,
    pattern: sp.csr_matrix,
    by_cell: sp.csc_matrix,
    hidden: BoolArray,
    blocked: BoolArray,
    cost: np.ndarray,
    k: int,
) -> IntArray:
    """Hide cheap cells until no relation pins or caps a hidden cell; return stuck rows.

    A relation needs more hidden cells when it holds exactly one, or when its total is
    published and its hidden children cannot reach k: each is at most S - (m - 1).
    """
    rel = cube.relations
    kids = (rel > 0).astype(np.int64).tocsr()
    par = (rel < 0).astype(np.int64).tocsr()
    stuck = np.zeros(0, dtype=np.int64)
    while True:
        h = hidden.astype(np.int64)
        cnt = pattern @ h
        m = kids @ h
        slack = kids @ (cube.values * h) - m + 1
        short = (par @ h == 0) & (m >= 1) & (slack < k)
        needy = np.flatnonzero((cnt == 1) | short)
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
    max_passes: int = 50,
    processes: int = 1,
) -> Protection:
    """Primary plus secondary suppression such that the audit finds no exposed hidden cell.

    Every hidden cell ends with a perturbation witness (see perturb.py), except `certified`
    ones: hidden cells of an earlier audited vintage whose protection carries over (see
    publication/protection.py). `processes` > 1 lets the witness search use that many
    processes on a large cube (see perturb.py).
    """
    t0 = time.perf_counter()
    prim = primary_mask(cube, k)
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
    pattern = abs(cube.relations).astype(np.int64).tocsr()
    by_cell = pattern.tocsc()
    blocked = _derivable(pattern, fp | (cube.values == 0))
    if np.any(blocked & hidden):
        bad = [keys[int(i)] for i in np.flatnonzero(blocked & hidden)]
        raise ProtectionError("cells to hide are derivable from earlier published cells", bad)
    cost = _cost(cube)
    ranges = Ranges.of_values(cube.values)
    done = cube.mask_of(certified) & hidden  # proven by an earlier audited vintage
    t_sec = t_aud = 0.0
    passes = 0
    perturber = Perturber(cube, k, repair=True)
    while True:
        t1 = time.perf_counter()
        stuck = _close_lines(cube, pattern, by_cell, hidden, blocked, cost, k)
        t_sec += time.perf_counter() - t1
        if stuck.size:
            lone = np.unique(pattern[stuck].indices)
            bad = [keys[int(i)] for i in lone[hidden[lone]]]
            raise ProtectionError(
                "hidden cells determined by a relation whose other cells are zero or forced"
                " published",
                bad,
            )
        # Perturbation LPs, which may hide more cells. Unlike the audit, no box witnesses
        # first: each LP's witness certifies several cells, so the box search costs more
        # than the few LPs it spares.
        hid = np.flatnonzero(hidden & ~done)
        pend = hid[~ranges.safe(hid, k)]
        if pend.size == 0:
            break
        passes += 1
        if passes > max_passes:
            raise ProtectionError(f"still exposed after {passes} passes", _keys(keys, pend))
        t1 = time.perf_counter()
        failed = perturber.run(pend, hidden, blocked, ranges, processes)
        t_aud += time.perf_counter() - t1
        if failed.size:
            raise ProtectionError(
                "hidden cells that no perturbation can lift, even hiding every other cell",
                _keys(keys, failed),
            )
    sec = hidden & ~prim
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
    )


def _keys(keys: list[CellKey], idx: IntArray) -> list[CellKey]:
    return [keys[int(i)] for i in idx]
