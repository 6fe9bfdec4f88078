"""Combinatorial witnesses ("box perturbations") that certify hidden cells without any LP.

In each dimension pick a signed chain set: either a TWO-SIDED pair (leaves a, b whose lowest
common ancestor L exists, or a virtual super-root when a and b lie in different trees of the
forest; the nodes from a up to L excluded get +1, those from b up to L excluded get -1) or a
ONE-SIDED chain (a leaf a up to and including its root, +1). D(x, y, z) = s1(x) s2(y) s3(z) on
the chains, 0 elsewhere. D keeps every relation: take "P = sum of the children of P" along one
dimension, the other two coordinates fixed (if they are off their chains, nothing changes).
If P lies strictly inside a chain, exactly one child of P (the next node down that chain) is on
a chain, with the same sign as P: both sides change by the same amount. If P = L, its two chain
children change by +s and -s and P is off the chains: the sum is unchanged. Otherwise P is off
the chains and so are all its children (a chain is a vertical path that ends at L or at a root,
so a child on a chain has its parent on the same chain unless that parent is L), or P is the
top of a chain, which is only the case at a root or just below L (covered above). Roots have no
relation above them, so one-sided chains are allowed; if all three are one-sided, the
root x root x root cell changes and the "all hidden" test below rejects the box when it is
published.

So from the true values v, v + t D satisfies every relation. When every cell with D != 0 is
hidden and every cell with D = -1 is >= 1 + t, it is feasible for the attacker's system
(published cells unchanged, hidden cells >= 1). With t = max(k - v_c, 1) for a cell c with
D(c) = +1, it reaches >= k at c and differs from v: c is safe. Hiding more cells only relaxes
the system, so such a witness stays valid while the hidden set grows.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from observatoire.disclosure.cube import BoolArray, Cube, Dimension, IntArray
from observatoire.disclosure.ranges import Ranges

# Chain pairs kept per node in each dimension (territory, incident, period): their product
# bounds the boxes tried per cell (576).
CAPS = (12, 8, 6)
Chain = tuple[tuple[int, ...], tuple[int, ...]]  # (+1 nodes, -1 nodes)


def _up_to(par: tuple[int, ...], a: int, stop: int) -> tuple[int, ...]:
    out = []
    cur = a
    while cur != stop and cur >= 0:
        out.append(cur)
        cur = par[cur]
    return tuple(out)


def dimension_options(dim: Dimension, cap: int) -> list[list[Chain]]:
    """Per node, up to `cap` signed chain pairs whose +1 side contains the node."""
    n = len(dim)
    par = dim.parent_index
    leaves_under: list[list[int]] = [[] for _ in range(n)]
    for leaf in (i for i in range(n) if not dim.children[i]):
        cur = leaf
        while cur >= 0:
            leaves_under[cur].append(leaf)
            cur = par[cur]
    root_of = [_up_to(par, i, -1)[-1] for i in range(n)]
    roots = [i for i in range(n) if par[i] < 0]
    out: list[list[Chain]] = []
    for x in range(n):
        groups: list[list[Chain]] = []
        below, L = x, par[x]
        while L >= 0:  # two-sided pairs, nearest common ancestor first
            others = [b for c in dim.children[L] if c != below for b in leaves_under[c]]
            groups.append(_pairs(par, leaves_under[x], others, L))
            below, L = L, par[L]
        others = [b for r in roots if r != root_of[x] for b in leaves_under[r]]
        groups.append(_pairs(par, leaves_under[x], others, -1))
        groups.append([(_up_to(par, a, -1), ()) for a in leaves_under[x][:2]])
        out.append(_merge(groups, cap))
    return out


def _pairs(par: tuple[int, ...], plus: list[int], minus: list[int], stop: int) -> list[Chain]:
    combos = sorted(itertools.product(range(len(plus)), range(len(minus))), key=lambda p: sum(p))
    return [(_up_to(par, plus[i], stop), _up_to(par, minus[j], stop)) for i, j in combos]


def _merge(groups: list[list[Chain]], cap: int) -> list[Chain]:
    groups = [g for g in groups if g]
    if not groups:
        return []
    quota = -(-cap // len(groups))
    taken = [g[:quota] for g in groups]
    spare = cap - sum(len(t) for t in taken)
    for g, t in zip(groups, taken, strict=True):  # give unused slots to the nearest levels
        extra = g[len(t) : len(t) + max(spare, 0)]
        t.extend(extra)
        spare -= len(extra)
    return [c for t in taken for c in t][:cap]


class BoxFinder:
    """Padded option arrays per dimension; evaluates boxes for many cells at once."""

    def __init__(self, cube: Cube, caps: tuple[int, int, int] = CAPS) -> None:
        self.cube = cube
        self.shape = cube.shape
        self.nodes: list[IntArray] = []
        self.signs: list[IntArray] = []
        self.count: list[IntArray] = []
        self.width: list[IntArray] = []
        for dim, cap in zip(cube.dims, caps, strict=True):
            opts = dimension_options(dim, cap)
            m = max(1, max(len(o) for o in opts))
            w = max(1, max((len(p) + len(q) for o in opts for p, q in o), default=1))
            nodes = np.full((len(dim), m, w), -1, dtype=np.int64)
            signs = np.zeros((len(dim), m, w), dtype=np.int64)
            width = np.zeros((len(dim), m), dtype=np.int64)
            for x, o in enumerate(opts):
                for i, (p, q) in enumerate(o):
                    nodes[x, i, : len(p) + len(q)] = p + q
                    signs[x, i, : len(p) + len(q)] = (1,) * len(p) + (-1,) * len(q)
                    width[x, i] = len(p) + len(q)
            self.nodes.append(nodes)
            self.signs.append(signs)
            self.count.append(np.array([len(o) for o in opts], dtype=np.int64))
            self.width.append(width)
        ms = [int(a.shape[1]) for a in self.nodes]
        combos = list(itertools.product(*(range(m) for m in ms)))
        self.combos = sorted(combos, key=lambda c: (sum(c), c))

    def boxes(
        self, coords: tuple[IntArray, ...], combo: tuple[int, ...]
    ) -> list[tuple[IntArray, IntArray, IntArray]]:
        """Groups of (rows into `coords`, flat cell indices (R, w), signs (R, w)) by box width."""
        ok = np.ones(coords[0].size, dtype=bool)
        for d in range(3):
            ok &= self.count[d][coords[d]] > combo[d]
        rows = np.flatnonzero(ok)
        if rows.size == 0:
            return []
        xs = [coords[d][rows] for d in range(3)]
        ws = [self.width[d][xs[d], combo[d]] for d in range(3)]
        key = (ws[0] * 16 + ws[1]) * 16 + ws[2]
        out = []
        for kv in np.unique(key).tolist():
            sel = np.flatnonzero(key == kv)
            w = (kv // 256, (kv // 16) % 16, kv % 16)
            parts = [
                (
                    self.nodes[d][xs[d][sel], combo[d], : w[d]],
                    self.signs[d][xs[d][sel], combo[d], : w[d]],
                )
                for d in range(3)
            ]
            (n0, s0), (n1, s1), (n2, s2) = parts
            flat = (n0[:, :, None, None] * self.shape[1] + n1[:, None, :, None]) * self.shape[
                2
            ] + n2[:, None, None, :]
            sign = s0[:, :, None, None] * s1[:, None, :, None] * s2[:, None, None, :]
            r = sel.size
            out.append((rows[sel], flat.reshape(r, -1), sign.reshape(r, -1)))
        return out

    def search(
        self, cells: IntArray, hidden: BoolArray, k: int
    ) -> list[tuple[IntArray, IntArray] | None]:
        """First box per cell made of hidden cells only, as (flat, sign); None if none."""
        v = self.cube.values
        choice: list[tuple[IntArray, IntArray] | None] = [None] * cells.size
        delta = np.maximum(k - v[cells], 1)
        open_ = np.ones(cells.size, dtype=bool)
        coords = np.unravel_index(cells, self.shape)
        for combo in self.combos:
            idx = np.flatnonzero(open_)
            if idx.size == 0:
                break
            for rows, flat, sign in self.boxes(tuple(c[idx] for c in coords), combo):
                at = idx[rows]
                minus_ok = np.all((sign >= 0) | (v[flat] >= 1 + delta[at, None]), axis=1)
                # Each open cell has one box per combo: the first free one is kept.
                for j in np.flatnonzero(np.all(hidden[flat], axis=1) & minus_ok).tolist():
                    choice[int(at[j])] = (flat[j], sign[j])
                    open_[at[j]] = False
        return choice


def box_certify(
    finder: BoxFinder, hidden: BoolArray, k: int, ranges: Ranges, cells: IntArray
) -> int:
    """Certify `cells` (hidden) with all-hidden boxes; widen their ranges; return how many."""
    if cells.size == 0:
        return 0
    v = finder.cube.values
    n = 0
    for c, got in zip(cells.tolist(), finder.search(cells, hidden, k), strict=True):
        if got is not None:
            ranges.record_box(v, got[0], got[1], max(k - int(v[c]), 1))
            n += 1
    return n


def box_vector(
    shape: tuple[int, int, int], flat: IntArray, sign: IntArray
) -> npt.NDArray[np.int64]:
    """Dense perturbation vector D of a box (for tests)."""
    d = np.zeros(shape[0] * shape[1] * shape[2], dtype=np.int64)
    d[flat] = sign
    return d
