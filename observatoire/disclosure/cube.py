"""Hierarchical dimensions, the fully crossed publication cube and its additive relations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

CellKey = tuple[str, str, str]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Dimension:
    """A forest of node ids: each node maps to its parent id (None for a root)."""

    parent: Mapping[str, str | None]
    nodes: tuple[str, ...] = field(init=False)
    index: Mapping[str, int] = field(init=False)
    children: tuple[tuple[int, ...], ...] = field(init=False)
    parent_index: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        for node, par in self.parent.items():
            if par is not None and par not in self.parent:
                raise ValueError(f"parent {par!r} of {node!r} is not a node of the dimension")
        # Insertion order of the mapping is kept: it makes cell order deterministic.
        nodes = tuple(self.parent)
        index = {n: i for i, n in enumerate(nodes)}
        kids: list[list[int]] = [[] for _ in nodes]
        pidx = []
        for n in nodes:
            par = self.parent[n]
            pidx.append(-1 if par is None else index[par])
            if par is not None:
                kids[index[par]].append(index[n])
        for n in nodes:  # reject cycles, which would make sums ill-defined
            seen = {n}
            cur = self.parent[n]
            while cur is not None:
                if cur in seen:
                    raise ValueError(f"cycle in dimension through {cur!r}")
                seen.add(cur)
                cur = self.parent[cur]
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "children", tuple(tuple(c) for c in kids))
        object.__setattr__(self, "parent_index", tuple(pidx))

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def leaves(self) -> list[str]:
        """Node ids without children, in node order."""
        return [n for i, n in enumerate(self.nodes) if not self.children[i]]

    def is_leaf(self, node: str) -> bool:
        """True when the node has no children."""
        return not self.children[self.index[node]]

    def leaf_matrix(self) -> npt.NDArray[np.int64]:
        """Dense 0/1 matrix (nodes x leaves): 1 when the leaf lies under (or is) the node."""
        leaves = self.leaves
        lidx = {n: j for j, n in enumerate(leaves)}
        mat = np.zeros((len(self.nodes), len(leaves)), dtype=np.int64)
        for leaf in leaves:
            cur: str | None = leaf
            while cur is not None:
                mat[self.index[cur], lidx[leaf]] = 1
                cur = self.parent[cur]
        return mat


def tree_dimension(parent: Mapping[str, str | None]) -> Dimension:
    """Build a dimension from a plain {node: parent or None} mapping."""
    return Dimension(dict(parent))


def periods_dimension(months: Iterable[str]) -> Dimension:
    """Months plus the quarters ("YYYY-Tn") and years ("YYYY") whose months are all present."""
    ms = sorted(set(months))
    for m in ms:
        if not _MONTH.match(m):
            raise ValueError(f"month {m!r} is not YYYY-MM")
    quarters: dict[str, list[str]] = {}
    for m in ms:
        y, mo = m.split("-")
        quarters.setdefault(f"{y}-T{(int(mo) - 1) // 3 + 1}", []).append(m)
    full_q = {q for q, lst in quarters.items() if len(lst) == 3}
    years = {q[:4] for q in full_q}
    full_y = {y for y in years if all(f"{y}-T{n}" in full_q for n in range(1, 5))}
    parent: dict[str, str | None] = {}
    for y in sorted(full_y):
        parent[y] = None
    for q in sorted(full_q):
        parent[q] = q[:4] if q[:4] in full_y else None
    for m in ms:
        y, mo = m.split("-")
        q = f"{y}-T{(int(mo) - 1) // 3 + 1}"
        parent[m] = q if q in full_q else None
    return Dimension(parent)


class Cube:
    """Every crossing of one node per dimension, with values, top contributions and relations."""

    def __init__(
        self,
        dims: tuple[Dimension, Dimension, Dimension],
        values: IntArray,
        largest: IntArray,
    ) -> None:
        self.dims = dims
        self.shape = (len(dims[0]), len(dims[1]), len(dims[2]))
        self.values = values
        self.largest = largest
        self._cells: list[CellKey] | None = None
        self._relations: sp.csr_matrix | None = None
        self._agg_level: IntArray | None = None

    @property
    def n_cells(self) -> int:
        """Number of cells in the cube."""
        return int(self.values.shape[0])

    @property
    def cells(self) -> list[CellKey]:
        """All cell keys in deterministic (flat index) order."""
        if self._cells is None:
            t, i, p = (d.nodes for d in self.dims)
            self._cells = [(a, b, c) for a in t for b in i for c in p]
        return self._cells

    def index_of(self, key: CellKey) -> int:
        """Flat index of a cell key (KeyError when unknown)."""
        n1, n2 = self.shape[1], self.shape[2]
        a, b, c = (d.index[x] for d, x in zip(self.dims, key, strict=True))
        return (a * n1 + b) * n2 + c

    def indices_of(self, keys: Iterable[CellKey]) -> IntArray:
        """Flat indices of several cell keys."""
        return np.array([self.index_of(k) for k in keys], dtype=np.int64)

    def mask_of(self, keys: Iterable[CellKey]) -> BoolArray:
        """Boolean mask over cells, True for the given keys."""
        m = np.zeros(self.n_cells, dtype=bool)
        idx = self.indices_of(keys)
        if idx.size:
            m[idx] = True
        return m

    def value(self, key: CellKey) -> int:
        """Sum of the leaves under a cell."""
        return int(self.values[self.index_of(key)])

    def largest_contribution(self, key: CellKey) -> int:
        """Largest single-organisation contribution to a cell."""
        return int(self.largest[self.index_of(key)])

    @property
    def agg_level(self) -> IntArray:
        """Per cell, how many of its three nodes are totals (0 for a leaf cell)."""
        if self._agg_level is None:
            lv = [np.array([1 if ch else 0 for ch in d.children]) for d in self.dims]
            self._agg_level = (
                lv[0][:, None, None] + lv[1][None, :, None] + lv[2][None, None, :]
            ).ravel()
        return self._agg_level

    @property
    def relations(self) -> sp.csr_matrix:
        """Sparse (relations x cells) matrix: +1 on children, -1 on the parent; rows sum to 0."""
        if self._relations is None:
            self._relations = _build_relations(self.dims, self.shape)
        return self._relations


def _build_relations(dims: tuple[Dimension, ...], shape: tuple[int, int, int]) -> sp.csr_matrix:
    flat = np.arange(shape[0] * shape[1] * shape[2], dtype=np.int64).reshape(shape)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[npt.NDArray[np.int8]] = []
    n_rows = 0
    for axis, dim in enumerate(dims):
        moved = np.moveaxis(flat, axis, 0)  # (node, other, other)
        for p, kids in enumerate(dim.children):
            if not kids:
                continue
            par = moved[p].ravel()
            r = np.arange(n_rows, n_rows + par.size, dtype=np.int64)
            rows.append(r)
            cols.append(par)
            vals.append(np.full(par.size, -1, dtype=np.int8))
            for c in kids:
                rows.append(r)
                cols.append(moved[c].ravel())
                vals.append(np.ones(par.size, dtype=np.int8))
            n_rows += par.size
    n = flat.size
    if not rows:
        return sp.csr_matrix((0, n), dtype=np.int8)
    mat = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n),
        dtype=np.int8,
    )
    mat.sort_indices()
    return mat


def build_cube(
    contributions: Mapping[tuple[str, str, str], Mapping[str, int]],
    territory: Dimension,
    incident: Dimension,
    periods: Dimension,
) -> Cube:
    """Aggregate leaf contributions per organisation into the fully crossed cube."""
    dims = (territory, incident, periods)
    leaf_idx = [{n: j for j, n in enumerate(d.leaves)} for d in dims]
    lshape = tuple(len(x) for x in leaf_idx)
    total = np.zeros(lshape, dtype=np.int64)
    per_org: dict[str, list[tuple[int, int, int, int]]] = {}
    for key, orgs in contributions.items():
        try:
            pos = tuple(li[x] for li, x in zip(leaf_idx, key, strict=True))
        except KeyError as exc:
            raise ValueError(f"contribution key {key!r} is not a leaf of every dimension") from exc
        for org, n in orgs.items():
            n = int(n)
            if n < 0:
                raise ValueError(f"negative count {n} for {key!r} / {org!r}")
            if n:
                total[pos] += n
                per_org.setdefault(org, []).append((pos[0], pos[1], pos[2], n))
    mats = [d.leaf_matrix() for d in dims]

    def aggregate(leaf: IntArray) -> IntArray:
        out = np.tensordot(mats[0], leaf, axes=(1, 0))
        out = np.tensordot(mats[1], out, axes=(1, 1)).transpose(1, 0, 2)
        out = np.tensordot(out, mats[2], axes=(2, 1))
        return np.ascontiguousarray(out, dtype=np.int64).ravel()

    values = aggregate(total)
    largest = np.zeros_like(values)
    buf = np.zeros(lshape, dtype=np.int64)
    for org in sorted(per_org):  # sorted: result must not depend on dict order
        buf[...] = 0
        arr = np.array(per_org[org], dtype=np.int64)
        np.add.at(buf, (arr[:, 0], arr[:, 1], arr[:, 2]), arr[:, 3])
        np.maximum(largest, aggregate(buf), out=largest)
    return Cube(dims, values, largest)
