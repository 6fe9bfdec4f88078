"""The images of a publication's views, drawn: the map and series as Vega-Lite, SVG and PNG.

`api/routes/images.py` answers with them, and `warm` draws the views a reader's first visit
asks for as soon as a publication is the latest (`api/main.py`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.publications import ResponseCache
from api.settings import ApiSettings
from observatoire.charts import images
from observatoire.charts.images import Caption, Figure
from observatoire.charts.labels import label
from observatoire.charts.maps import map_topology
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.domain.territories import Territories
from observatoire.publication import alerts, views
from observatoire.publication.dimensions import dep_id
from observatoire.publication.snapshot import PublishedCube

MEDIA = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}


@lru_cache(maxsize=2)
def _geometry(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    layout = json.loads(path.read_text(encoding="utf-8"))
    return layout, map_topology(layout)


def type_label(taxonomy: Taxonomy, code: str, lang: str) -> str:
    """The words for an incident selector: a type, a family, or every type."""
    if code == ALL_TYPES:
        return "tous les incidents" if lang == "fr" else "all incidents"
    suffix = "en" if lang == "en" else "fr"
    for entry in (*taxonomy.families, *taxonomy.types):
        if entry.code == code:
            return str(getattr(entry, f"libelle_{suffix}"))
    return code


def render(spec: dict[str, Any], caption: Caption, fmt: str) -> tuple[bytes, str]:
    """`spec` as `fmt` (svg, png, json) and its media type."""
    if fmt == "svg":
        return images.to_svg(spec, caption), MEDIA["svg"]
    if fmt == "png":
        return images.to_png(spec), MEDIA["png"]
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode(), MEDIA["json"]


@dataclass(frozen=True)
class Reference:
    """What every image is drawn from besides its publication."""

    settings: ApiSettings
    territories: Territories
    taxonomy: Taxonomy


def reference(app: Any) -> Reference:
    """The reference data an app was built with (`app.state`)."""
    state = app.state
    return Reference(state.settings, state.territories, state.taxonomy)


def map_key(
    format: str,
    type: str,
    periode: str | None,
    mesure: str,
    langue: str,
    liens: str,  # noqa: A002
) -> tuple:
    """Where a map view is filed in the response cache (after "image")."""
    return ("carte", type, periode, mesure, langue, format, liens)


def map_body(
    ref: Reference, cube: PublishedCube, format: str, type: str = ALL_TYPES,  # noqa: A002
    periode: str | None = None, mesure: str = "valeur", langue: str = "fr",
    liens: str = "absolus",
) -> tuple[bytes, str]:  # fmt: skip
    """The map of one view of `cube` as `format` (svg, png, json) and its media type."""
    incident = views.check_incident(cube, ref.taxonomy, type)
    kind = cube.incident_level(incident)
    period = views.check_period(cube, periode, "departement", kind)
    rows = views.by_territory(cube, ref.territories, "departement", incident, period)
    figures = [Figure(r.code, r.nom, r.valeur, r.taux_100k) for r in rows]
    flagged = _flagged(cube, ref.territories, incident, kind)
    words = {"mesure": label(mesure, langue), "type": type_label(ref.taxonomy, incident, langue),
             "periode": period}  # fmt: skip
    hidden = sum(1 for r in rows if r.valeur is None)
    caption = Caption(
        title=label("map_title", langue, **words),
        description=label("map_desc", langue, **words, id=cube.meta.id, hidden=hidden,
                          total=len(rows)),
        source=images.source_line(cube.meta.id, cube.meta.publiee_le,
                                  cube.meta.synthetique, langue),
    )  # fmt: skip
    suffix = "&lang=en" if langue == "en" else ""
    link = (
        "./prefecture?dep={code}" + suffix
        if format == "json" or liens == "relatifs"
        else ref.settings.public_dashboard_url.rstrip("/") + "/prefecture?dep={code}" + suffix
    )
    layout, topology = _geometry(ref.settings.geodata_dir / "departements-carte.geojson")
    spec = images.map_view(layout, topology, figures, mesure=mesure, caption=caption,
                           lang=langue, alerts=flagged, link=link)  # fmt: skip
    return render(spec, caption, format)


def _flagged(cube: PublishedCube, territories: Any, incident: str, kind: str) -> list[str]:
    """Départements in alert on the map: by quarter, else month, among the steps the plan
    publishes for département × this incident level (none when it publishes neither)."""
    steps = [s for s in ("trimestre", "mois") if alerts.step_periods(cube, s)]
    planned = [s for s in steps if cube.plan.includes("departement", kind, s)]
    if not planned:
        return []
    deps = {dep_id(d.code): d.code for d in territories.departements}
    report = alerts.detect(cube, list(deps), incident, planned[0])
    return [deps[a.territory] for a in report.alerts]


def series_lines(taxonomy: Taxonomy, incident: str, lignes: str) -> list[str]:
    """The incident selectors drawn as lines: `incident` alone, « tous » and each family, or
    each type of the family `incident`."""
    if lignes == "familles":
        return [ALL_TYPES, *(f.code for f in taxonomy.families)]
    if lignes == "types":
        if incident not in {f.code for f in taxonomy.families}:
            raise views.SliceError(
                f"lignes=types demande une famille dans `type` (« {incident} » n'en est pas une : "
                + ", ".join(f.code for f in taxonomy.families)
                + ")",
                422,
            )
        return [t.code for t in taxonomy.types if t.famille == incident]
    return [incident]


def series_body(
    ref: Reference, cube: PublishedCube, format: str, territoire: str = "FR",  # noqa: A002
    type: str = ALL_TYPES, pas: str = "trimestre", mesure: str = "valeur",  # noqa: A002
    langue: str = "fr", lignes: str = "une",
) -> tuple[bytes, str]:  # fmt: skip
    """The series of one view of `cube` as `format` (svg, png, json) and its media type."""
    level = "france" if territoire == "FR" else "departement"
    incident = views.check_incident(cube, ref.taxonomy, type)
    codes = series_lines(ref.taxonomy, incident, lignes)
    lines = []
    hidden = total = 0
    for code in codes:
        rows = views.series(cube, ref.territories, level, territoire, code, pas)
        hidden += sum(1 for r in rows if r.valeur is None)
        total += len(rows)
        name = type_label(ref.taxonomy, code, langue)
        figures = [Figure(r.code, r.nom, r.valeur, r.taux_100k) for r in rows]
        lines.append((name[:1].upper() + name[1:], figures))
    _tid, place, _pop = views.resolve_territory(ref.territories, level, territoire)
    what = type_label(ref.taxonomy, incident, langue)
    if lignes == "familles":
        what = label("by_family", langue)
    elif lignes == "types":
        what = label("by_type", langue, famille=what)
    words = {"mesure": label(mesure, langue), "type": what, "territoire": place}
    caption = Caption(
        title=label("series_title", langue, **words),
        description=label("series_desc", langue, **words, pas=pas, id=cube.meta.id,
                          hidden=hidden, total=total),
        source=images.source_line(cube.meta.id, cube.meta.publiee_le,
                                  cube.meta.synthetique, langue),
    )  # fmt: skip
    spec = images.series_view(lines, mesure=mesure, caption=caption, lang=langue)
    return render(spec, caption, format)


# Drawn as soon as a publication is the latest (`warm`): the map page's first HTML answer
# carries the default view's SVG (`dashboard/first_map.py`), and the dashboard asks for the
# default view's spec on its first run.
WARM_VIEWS: tuple[dict[str, Any], ...] = (
    {"format": "svg", "langue": "fr", "liens": "relatifs"},
    {"format": "svg", "langue": "en", "liens": "relatifs"},
    {"format": "json", "langue": "fr", "periode": "default"},
)


def warm(app: Any, cube: PublishedCube) -> None:
    """Draw the `WARM_VIEWS` of `cube` into the response cache (a few seconds, once)."""
    ref = reference(app)
    cache: ResponseCache = app.state.response_cache
    for view in WARM_VIEWS:
        params = {"type": ALL_TYPES, "periode": None, "mesure": "valeur", "liens": "absolus",
                  **view}  # fmt: skip
        if params["periode"] == "default":
            params["periode"] = views.default_period(cube)
        key = map_key(params["format"], params["type"], params["periode"], params["mesure"],
                      params["langue"], params["liens"])  # fmt: skip
        cache.store(cube, ("image", *key), functools.partial(map_body, ref, cube, **params))
