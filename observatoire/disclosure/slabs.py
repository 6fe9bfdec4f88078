"""Slabs: the territory nodes around a cell whose crossings a witness search may move.

A *slab* is a set of territory nodes crossed with every incident and period node. Cells
outside it keep their true value, so any perturbation found on a slab is a witness for the
whole cube, and a slab's LP is a fraction of the cube's. When the narrow slab has no witness,
the search tries the medium one, then the wide one, then the whole cube (`SLAB_WIDTHS`).
"""

from __future__ import annotations

import numpy as np

from observatoire.disclosure.cube import Cube

SMALL_CUBE = 4000  # below this many cells, the slab is the whole cube
SLAB_WIDTHS = ((2, 1, 2), (99, 1, 2), (99, 3, 99))  # siblings, other branches, children each


class SlabGeometry:
    """The territory hierarchy of a cube, with each node's size, and the slabs around nodes."""

    def __init__(self, cube: Cube) -> None:
        t_dim = cube.dims[0]
        self.parent = t_dim.parent_index
        self.kids = [list(c) for c in t_dim.children]
        roots = [np.flatnonzero([p < 0 for p in d.parent_index]) for d in cube.dims[1:]]
        plane = cube.values.reshape(cube.shape)[:, roots[0], :][:, :, roots[1]]
        self.size = plane.reshape(cube.shape[0], -1).sum(axis=1)
        self.whole = cube.n_cells <= SMALL_CUBE
        self._slabs: dict[tuple[int, int], tuple[int, ...]] = {}

    def _largest(self, nodes: list[int], n: int, skip: int = -1) -> list[int]:
        return sorted((x for x in nodes if x != skip), key=lambda x: (-self.size[x], x))[:n]

    def slab(self, tn: int, width: int = 0) -> tuple[int, ...]:
        """Territory nodes of the slab around territory node tn (see `_slab`), computed once."""
        got = self._slabs.get((tn, width))
        if got is None:
            got = self._slabs[(tn, width)] = self._slab(tn, width)
        return got

    def _slab(self, tn: int, width: int) -> tuple[int, ...]:
        """Territory nodes of the slab around territory node tn (`()`: the whole cube).

        Narrow (width 0): tn, its children, its parent, the two largest siblings (with their
        two largest children), the grandparent and its largest other child (with its two
        largest children). Medium (1): every sibling, each with its two largest children.
        Wide (2): every sibling and their children, and three other branches.
        """
        if self.whole:
            return ()
        near, far, kids = SLAB_WIDTHS[width]
        nodes = {tn, *self.kids[tn]}
        p = self.parent[tn]
        if p < 0:
            for r in self._largest(self.kids[tn], near):
                nodes.update(self._largest(self.kids[r], kids))
            return tuple(sorted(nodes))
        nodes.add(p)
        for s in self._largest(self.kids[p], near, tn):
            nodes.add(s)
            nodes.update(self._largest(self.kids[s], kids))
        g = self.parent[p]
        if g >= 0:
            nodes.add(g)
            for s in self._largest(self.kids[g], far, p):
                nodes.add(s)
                nodes.update(self._largest(self.kids[s], kids))
        return tuple(sorted(nodes))
