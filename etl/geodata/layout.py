"""Map layout: mainland France in place, overseas départements and Paris as insets.

Insets are placed in lon/lat space so that the dashboard can draw the whole file with one
``conicConformal`` projection. Each inset is fitted into a fixed box in the empty sea west
of France; its horizontal scale is corrected by cos(latitude) so that a territory moved
from the tropics to 45°N keeps its true shape once projected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
import shapely.affinity

from etl.geodata import shapes

PROJECTION = {"type": "conicConformal", "parallels": [44, 49], "rotate": [-3, 0, 0]}
PARIS_INSET = "paris"
PARIS_CODES = ("75", "92", "93", "94")
# Margin kept between an inset's drawing and its box, in degrees.
PADDING = 0.1


@dataclass(frozen=True)
class Inset:
    """One inset: its name, the département codes it shows and its box on the map."""

    nom: str
    codes: tuple[str, ...]
    bbox: tuple[float, float, float, float]


# A column in the Atlantic west of Brittany (mainland's westernmost point, Ouessant, is
# at -5.14°) and the Paris zoom in the Channel, north of Brittany and west of the Cotentin.
_COLUMN_X = (-8.6, -5.6)
_COLUMN_TOP, _COLUMN_BOTTOM, _GAP = 49.0, 41.4, 0.2
_OVERSEAS = ("971", "972", "973", "974", "976")


def _column_boxes() -> list[tuple[float, float, float, float]]:
    """Split the overseas column into equal boxes, top to bottom."""
    n = len(_OVERSEAS)
    height = (_COLUMN_TOP - _COLUMN_BOTTOM - _GAP * (n - 1)) / n
    boxes = []
    for i in range(n):
        top = _COLUMN_TOP - i * (height + _GAP)
        boxes.append((_COLUMN_X[0], round(top - height, 4), _COLUMN_X[1], round(top, 4)))
    return boxes


INSETS: tuple[Inset, ...] = (
    *(Inset(code, (code,), box) for code, box in zip(_OVERSEAS, _column_boxes(), strict=True)),
    Inset(PARIS_INSET, PARIS_CODES, (-5.6, 49.3, -2.4, 51.4)),
)


def fit_transform(
    source: tuple[float, float, float, float],
    target: tuple[float, float, float, float],
    padding: float = PADDING,
) -> tuple[float, float, float, float]:
    """Return (x scale, y scale, x offset, y offset) fitting ``source`` centred in ``target``."""
    sminx, sminy, smaxx, smaxy = source
    tminx, tminy, tmaxx, tmaxy = target
    src_lat = math.radians((sminy + smaxy) / 2)
    dst_lat = math.radians((tminy + tmaxy) / 2)
    # One degree of longitude is cos(lat) long: stretch x so the projected shape is true.
    aspect = math.cos(src_lat) / math.cos(dst_lat)
    width = max((smaxx - sminx) * aspect, 1e-9)
    height = max(smaxy - sminy, 1e-9)
    scale = min((tmaxx - tminx - 2 * padding) / width, (tmaxy - tminy - 2 * padding) / height)
    xfact, yfact = scale * aspect, scale
    xoff = (tminx + tmaxx) / 2 - xfact * (sminx + smaxx) / 2
    yoff = (tminy + tmaxy) / 2 - yfact * (sminy + smaxy) / 2
    return xfact, yfact, xoff, yoff


def place(geoms: np.ndarray, target: tuple[float, float, float, float]) -> tuple[np.ndarray, float]:
    """Move and scale ``geoms`` together into ``target``; return them and the y scale."""
    source = tuple(shapely.total_bounds(geoms))
    xfact, yfact, xoff, yoff = fit_transform(source, target)  # type: ignore[arg-type]
    matrix = [xfact, 0.0, 0.0, yfact, xoff, yoff]
    return np.array([shapely.affinity.affine_transform(g, matrix) for g in geoms]), yfact


def build_layout(
    codes: Sequence[str],
    names: dict[str, str],
    simplified: np.ndarray,
    detailed: np.ndarray,
    tolerance: float = shapes.SIMPLIFY_TOLERANCE,
) -> dict[str, Any]:
    """Return the map-layout FeatureCollection (mainland + overseas and Paris insets)."""
    index = {code: i for i, code in enumerate(codes)}
    in_inset = {c for inset in INSETS if inset.nom != PARIS_INSET for c in inset.codes}
    features = [
        shapes.feature(simplified[index[c]], {"code": c, "nom": names[c], "encart": None})
        for c in codes
        if c not in in_inset
    ]
    encarts = []
    for inset in INSETS:
        source = np.array([detailed[index[c]] for c in inset.codes], dtype=object)
        _, scale = place(source, inset.bbox)
        # Enlarged insets would show the 0.01° simplification as crude facets: simplify the
        # detailed coverage with a tolerance that is the same once scaled.
        fine = shapely.coverage_simplify(source, tolerance / max(scale, 1.0))
        moved, _ = place(fine, inset.bbox)
        moved = shapes.finish(moved)
        for code, geom in zip(inset.codes, moved, strict=True):
            props = {"code": code, "nom": names[code], "encart": inset.nom}
            features.append(shapes.feature(geom, props))
        encarts.append({"nom": inset.nom, "bbox": list(inset.bbox)})
    order = {c: i for i, c in enumerate(codes)}
    # Mainland first (by code), then insets in INSETS order: stable, diff-friendly output.
    inset_rank = {inset.nom: i for i, inset in enumerate(INSETS)}
    features.sort(
        key=lambda f: (
            -1 if f["properties"]["encart"] is None else inset_rank[f["properties"]["encart"]],
            order[f["properties"]["code"]],
        )
    )
    all_geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    bounds = np.vstack([shapely.total_bounds(all_geoms), *[e["bbox"] for e in encarts]])
    cadre = [
        round(float(bounds[:, 0].min()) - PADDING, 4),
        round(float(bounds[:, 1].min()) - PADDING, 4),
        round(float(bounds[:, 2].max()) + PADDING, 4),
        round(float(bounds[:, 3].max()) + PADDING, 4),
    ]
    return {
        "type": "FeatureCollection",
        "cadre": cadre,
        "encarts": encarts,
        "projection": PROJECTION,
        "features": features,
    }
