"""Primary suppression: small counts and the insider (dominance) rule."""

from __future__ import annotations

import numpy as np

from observatoire.disclosure.cube import BoolArray, Cube


def primary_mask(cube: Cube, k: int = 11) -> BoolArray:
    """Cells with 1 <= n < k, or 0 < n - largest single contribution < k; zeros never."""
    if k < 1:
        raise ValueError("k must be >= 1")
    n = cube.values
    rest = n - cube.largest
    small = (n >= 1) & (n < k)
    # An association knows its own share, so what remains must not be small either.
    insider = (rest > 0) & (rest < k)
    return np.asarray(small | insider, dtype=bool)
