"""Map geometries (static files, served so that the dashboard reads the API only)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request, Response

from api.deps import SettingsDep

router = APIRouter(prefix="/v1", tags=["Référentiels"])

FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
}
MAP_FILES = {
    "carte": "departements-carte.geojson",
    "departements": "departements.geojson",
}


@lru_cache(maxsize=8)
def _read(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def _serve(request: Request, path: Path) -> Response:
    data, etag = _read(path)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="application/geo+json", headers=headers)


@router.get(
    "/carte",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {"schema": FEATURE_COLLECTION}}}},
)
async def map_layout(request: Request, settings: SettingsDep) -> Response:
    """Géométries des départements pour la carte : outre-mer et Paris (75, 92, 93, 94) en encarts.

    GeoJSON en coordonnées lon/lat déplacées pour les encarts (propriétés `code`, `nom`,
    `encart`), anneaux extérieurs dans le sens horaire (convention Vega), avec les membres
    `cadre`, `encarts` et `projection` à utiliser pour le rendu.
    """
    return _serve(request, settings.geodata_dir / MAP_FILES["carte"])


@router.get(
    "/departements.geojson",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {"schema": FEATURE_COLLECTION}}}},
)
async def departement_shapes(request: Request, settings: SettingsDep) -> Response:
    """Géométries des 101 départements à leur place réelle (WGS84, simplifiées sans trous)."""
    return _serve(request, settings.geodata_dir / MAP_FILES["departements"])
