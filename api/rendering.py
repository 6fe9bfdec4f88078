"""Output formats of public statistics (JSON, CSV, GeoJSON), and the glue every public
statistics route answers through: resolve the publication, build the slice, render and cache.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import HTTPException, Request, Response

from api.problems import Problem
from api.publications import PublicationStore, ResponseCache
from observatoire.opendata.changes import CellChange, Changes
from observatoire.publication import views
from observatoire.publication.planned import SLUG, TITLE, NotPublished
from observatoire.publication.snapshot import PublicationMeta, PublishedCube
from observatoire.submissions.messages import language_of

T = TypeVar("T")
CSV_COLUMNS = ["publication", "code", "nom", "valeur", "secret", "taux_100k"]
FORMAT_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}


@dataclass(frozen=True)
class Slice:
    """What a route computed from a publication: its query echo and rows."""

    query: dict[str, Any]
    data: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)  # JSON fields before `data`


async def respond(
    request: Request,
    publications: PublicationStore,
    cache: ResponseCache,
    *,
    publication: int | None,
    key: tuple[Any, ...],
    fmt: str,
    max_age: int,
    build: Callable[[PublishedCube], Slice],
    shapes_file: Path | None = None,
) -> Response:
    """Resolve the publication, build the slice once per query, render it in `fmt`, and answer
    with the cache's ETag and Cache-Control (a view's SliceError becomes its status, a slice
    outside the plan a « non publié » problem)."""
    cube = await publications.aresolve(publication)

    def render() -> tuple[bytes, str]:
        piece = checked(request, lambda: build(cube))
        if fmt == "csv":
            return to_csv(cube.meta, piece.query, piece.data), FORMAT_MEDIA["csv"]
        if fmt == "geojson" and shapes_file is not None:
            body = to_geojson(cube.meta, piece.query, piece.data, shapes_file)
            return body, FORMAT_MEDIA["geojson"]
        return to_json(cube.meta, piece.query, piece.data, piece.extra), FORMAT_MEDIA["json"]

    return cache.respond(
        request,
        cube,
        (*key, fmt),
        explicit=publication is not None,
        max_age=max_age,
        build=render,
    )


def checked(request: Request, build: Callable[[], T]) -> T:
    """`build()`, its SliceError answered with its status and message, and NotPublished with
    the « non publié » problem (in English for `langue=en` or `Accept-Language: en`)."""
    try:
        return build()
    except views.SliceError as exc:
        raise HTTPException(status_code=exc.status, detail=str(exc)) from exc
    except NotPublished as exc:
        raise not_published(request, exc) from exc


def request_language(request: Request) -> str:
    """`en` for `?langue=en` or a client preferring English, `fr` otherwise."""
    asked = request.query_params.get("langue")
    if asked in ("fr", "en"):
        return asked
    return language_of(request.headers.get("accept-language"))


def not_published(request: Request, exc: NotPublished) -> Problem:
    """The problem document of a slice outside the publication's plan (404)."""
    lang = request_language(request)
    return Problem(
        exc.status,
        exc.detail(lang),
        slug=SLUG,
        title=TITLE[lang],
        extensions=exc.extensions(lang),
    )


def meta_dict(meta: PublicationMeta) -> dict[str, Any]:
    """The publication block every response carries."""
    return {**asdict(meta), "taux_secret": meta.taux_secret}


def to_json(
    meta: PublicationMeta,
    query: dict[str, Any],
    data: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> bytes:
    """JSON body: publication, query echo, any extra fields, rows."""
    body = {"publication": meta_dict(meta), "requete": query, **(extra or {}), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def to_csv(meta: PublicationMeta, query: dict[str, Any], data: list[dict[str, Any]]) -> bytes:
    """CSV body (UTF-8, comma): the publication id on every line; hidden values left empty."""
    out = io.StringIO()
    extra = [k for k in (data[0] if data else {}) if k not in CSV_COLUMNS]
    fields = ["publication", *query.keys(), *extra, *CSV_COLUMNS[1:]]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for item in data:
        line = {"publication": meta.id, **query, **item}
        line["valeur"] = "" if item["valeur"] is None else item["valeur"]
        line["taux_100k"] = "" if item["taux_100k"] is None else item["taux_100k"]
        line["secret"] = "true" if item["secret"] else "false"
        writer.writerow(line)
    return out.getvalue().encode()


_SHAPES: dict[Path, dict[str, Any]] = {}


def _shapes(path: Path) -> dict[str, Any]:
    if path not in _SHAPES:
        collection = json.loads(path.read_text(encoding="utf-8"))
        _SHAPES[path] = {f["properties"]["code"]: f["geometry"] for f in collection["features"]}
    return _SHAPES[path]


def to_geojson(
    meta: PublicationMeta, query: dict[str, Any], data: list[dict[str, Any]], shapes_file: Path
) -> bytes:
    """GeoJSON FeatureCollection of départements with their published values."""
    shapes = _shapes(shapes_file)
    features = [
        {"type": "Feature", "geometry": shapes[item["code"]], "properties": item} for item in data
    ]
    body = {
        "type": "FeatureCollection",
        "publication": meta_dict(meta),
        "requete": query,
        "features": features,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


CHANGE_COLUMNS = ["publication", "depuis", "changement", "niveau", "code", "nom", "type",
                  "periode", "valeur_avant", "valeur_apres"]  # fmt: skip


def changes_csv(changes: Changes, cells: list[CellChange]) -> bytes:
    """CSV of `cells`, changed between the two publications of `changes`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CHANGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    since = changes.before.id if changes.before is not None else ""
    for cell in cells:
        line = {**asdict(cell), "publication": changes.after.id, "depuis": since}
        for side in ("valeur_avant", "valeur_apres"):
            line[side] = "" if line[side] is None else line[side]
        writer.writerow(line)
    return out.getvalue().encode()
