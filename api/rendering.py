"""Output formats of public statistics: JSON, CSV, GeoJSON (separate from the views)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from observatoire.opendata.changes import CellChange, Changes
from observatoire.publication.snapshot import PublicationMeta

CSV_COLUMNS = ["publication", "code", "nom", "valeur", "secret", "taux_100k"]


def meta_dict(meta: PublicationMeta) -> dict[str, Any]:
    """The publication block every response carries."""
    return {**asdict(meta), "taux_secret": meta.taux_secret}


def to_json(meta: PublicationMeta, query: dict[str, Any], data: list[dict[str, Any]]) -> bytes:
    """JSON body: publication, query echo, rows."""
    body = {"publication": meta_dict(meta), "requete": query, "data": data}
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
