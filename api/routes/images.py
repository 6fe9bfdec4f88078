"""Images of a publication's views: the map and a series as Vega-Lite, SVG and PNG.

Built from the same published slices as `/v1/statistiques` (hidden cells stay hidden) and
cached per publication like them: immutable once `publication` is given (ETag, one year).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi import Path as PathParam

from api.public_models import BINARY_SCHEMA, OBJECT_SCHEMA, TEXT_SCHEMA, file_responses
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

router = APIRouter(prefix="/v1/images", tags=["Images"])

Format = Literal["svg", "png", "json"]
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}
RESPONSES = file_responses(
    {
        MEDIA["svg"]: {**TEXT_SCHEMA, "description": "SVG : titre, description, source, licence."},
        MEDIA["png"]: BINARY_SCHEMA,
        MEDIA["json"]: {**OBJECT_SCHEMA, "description": "La spécification Vega-Lite."},
    },
    not_found="Publication, période ou territoire absent.",
    etag=True,
)
TypeParam = Annotated[
    str,
    Query(description="Code de type, code de famille, ou « tous ».", max_length=40,
          pattern=r"^[a-z0-9_\-]+$"),
]  # fmt: skip
PeriodParam = Annotated[
    str | None,
    Query(description="AAAA, AAAA-Tn ou AAAA-MM (défaut : dernière année publiée).",
          max_length=7, pattern=r"^\d{4}(-T[1-4]|-(0[1-9]|1[0-2]))?$"),
]  # fmt: skip
PublicationParam = Annotated[
    int | None,
    Query(description="Numéro de publication (défaut : la plus récente ; donné : image "
          "immuable).", ge=1, le=2**31 - 1),
]  # fmt: skip
Mesure = Literal["valeur", "taux"]
Langue = Literal["fr", "en"]
FormatParam = Annotated[Format, PathParam(description="svg, png, ou json (spec Vega-Lite).")]


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
    if fmt == "svg":
        return images.to_svg(spec, caption), MEDIA["svg"]
    if fmt == "png":
        return images.to_png(spec), MEDIA["png"]
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode(), MEDIA["json"]


async def _respond(request: Request, publication: int | None, key: tuple, build) -> Response:  # type: ignore[no-untyped-def]
    cube = await request.app.state.publications.aresolve(publication)

    def checked() -> tuple[bytes, str]:
        try:
            return build(cube)
        except views.SliceError as exc:
            raise HTTPException(status_code=exc.status, detail=str(exc)) from exc

    return request.app.state.response_cache.respond(
        request, cube, ("image", *key), explicit=publication is not None,
        max_age=request.app.state.settings.api_cache_max_age_s, build=checked,
    )  # fmt: skip


Lignes = Literal["une", "familles", "types"]


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


def map_body(
    ref: Reference, cube: PublishedCube, format: str, type: str = ALL_TYPES,  # noqa: A002
    periode: str | None = None, mesure: str = "valeur", langue: str = "fr",
    liens: str = "absolus",
) -> tuple[bytes, str]:  # fmt: skip
    """The map of one view of `cube` as `format` (svg, png, json) and its media type."""
    incident = views.check_incident(cube, ref.taxonomy, type)
    period = views.check_period(cube, periode)
    rows = views.by_territory(cube, ref.territories, "departement", incident, period)
    figures = [Figure(r.code, r.nom, r.valeur, r.taux_100k) for r in rows]
    pas = "trimestre" if alerts.step_periods(cube, "trimestre") else "mois"
    deps = {dep_id(d.code): d.code for d in ref.territories.departements}
    report = alerts.detect(cube, list(deps), incident, pas)
    flagged = [deps[a.territory] for a in report.alerts]
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
# default view's spec on its first run. Keys as `map_image` files them.
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
        key = ("image", "carte", params["type"], params["periode"], params["mesure"],
               params["langue"], params["format"], params["liens"])  # fmt: skip
        cache.store(cube, key, functools.partial(map_body, ref, cube, **params))


@router.get("/carte.{format}", response_class=Response, responses=RESPONSES)
async def map_image(
    request: Request,
    format: FormatParam,  # noqa: A002 - the public parameter name
    type: TypeParam = "tous",  # noqa: A002
    periode: PeriodParam = None,
    mesure: Mesure = "valeur",
    publication: PublicationParam = None,
    langue: Langue = "fr",
    liens: Annotated[
        Literal["absolus", "relatifs"],
        Query(
            description="Liens des départements : vers le tableau de bord public "
            "(absolus) ou relatifs à la page qui inclut le SVG (`./prefecture?dep=…`)."
        ),
    ] = "absolus",
) -> Response:
    """Carte des départements d'une vue (type, période, mesure, publication), en SVG, PNG
    ou spécification Vega-Lite. L'image porte son titre, sa source, sa publication et sa
    licence ; en SVG, `<title>`, `<desc>` et le nom de chaque département (lien vers sa page
    sur le tableau de bord).
    """
    ref = reference(request.app)

    def build(cube: PublishedCube) -> tuple[bytes, str]:
        return map_body(ref, cube, format, type, periode, mesure, langue, liens)

    key = ("carte", type, periode, mesure, langue, format, liens)
    return await _respond(request, publication, key, build)


@router.get("/serie.{format}", response_class=Response, responses=RESPONSES)
async def series_image(
    request: Request,
    format: FormatParam,  # noqa: A002
    territoire: Annotated[
        str,
        Query(
            description="Code de département, ou FR.", max_length=3, pattern=r"^(FR|\d[\dAB]|97\d)$"
        ),
    ] = "FR",  # fmt: skip
    type: TypeParam = "tous",  # noqa: A002
    pas: Literal["mois", "trimestre", "annee"] = "trimestre",
    mesure: Mesure = "valeur",
    publication: PublicationParam = None,
    langue: Langue = "fr",
    lignes: Annotated[
        Lignes,
        Query(
            description="Lignes tracées : `une` (le `type` donné), `familles` (« tous » et "
            "chaque famille), `types` (chaque type de la famille donnée dans `type`)."
        ),
    ] = "une",
) -> Response:
    """Série d'un territoire (ou de la France) pour un type, au pas donné, en SVG, PNG ou
    spécification Vega-Lite ; les périodes en secret statistique interrompent la ligne.
    Avec `lignes`, plusieurs séries sur le même graphique (familles, ou types d'une famille).
    """
    ref = reference(request.app)

    def build(cube: PublishedCube) -> tuple[bytes, str]:
        return series_body(ref, cube, format, territoire, type, pas, mesure, langue, lignes)

    key = ("serie", territoire, type, pas, mesure, langue, format, lignes)
    return await _respond(request, publication, key, build)
