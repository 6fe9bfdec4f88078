"""Disclosure control for the publication cube: primary and secondary suppression, audit.

Pure Python (numpy, scipy, highspy); no web framework or database here.
"""

from observatoire.disclosure.audit import UNBOUNDED, AuditReport, audit
from observatoire.disclosure.cube import (
    CellKey,
    Cube,
    Dimension,
    build_cube,
    periods_dimension,
    tree_dimension,
)
from observatoire.disclosure.primary import primary_mask
from observatoire.disclosure.secondary import (
    Protection,
    ProtectionError,
    ProtectionStats,
    protect,
)

__all__ = [
    "UNBOUNDED",
    "AuditReport",
    "CellKey",
    "Cube",
    "Dimension",
    "Protection",
    "ProtectionError",
    "ProtectionStats",
    "audit",
    "build_cube",
    "periods_dimension",
    "primary_mask",
    "protect",
    "tree_dimension",
]
