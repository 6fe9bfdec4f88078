"""Disclosure control for the publication cube: primary and secondary suppression, audit.

Pure Python (numpy, scipy, highspy); no web framework or database here. `protect()`
(protection.py) maps the pipeline; docs/secret-statistique.md explains each module.
"""

from observatoire.disclosure.audit import AuditReport, audit
from observatoire.disclosure.cube import (
    CellKey,
    Cube,
    Dimension,
    build_cube,
    periods_dimension,
    tree_dimension,
)
from observatoire.disclosure.primary import primary_mask
from observatoire.disclosure.protection import (
    Protection,
    ProtectionError,
    ProtectionStats,
    protect,
)
from observatoire.disclosure.ranges import UNBOUNDED

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
