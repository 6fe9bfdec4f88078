"""Images of a publication's views: the map and a series as Vega-Lite, SVG and PNG.

Built from the same published slices as `/v1/statistiques` (hidden cells stay hidden) and
cached per publication like them: immutable once `publication` is given (ETag, one year).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam

from api.deps import SettingsDep, TaxonomyDep, TerritoriesDep
from api.public_models import BINARY_SCHEMA, OBJECT_SCHEMA, TEXT_SCHEMA, file_responses
from api.rendering import checked
from observatoire.charts import images
from observatoire.charts.images import Caption, Figure
from observatoire.charts.labels import label
from observatoire.charts.maps import map_topology
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.publication import alerts, views
from observatoire.publication.dimensions import dep_id

router = APIRouter(prefix="/v1/images", tags=["Images"])

Format = Literal["svg", "png", "json"]
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json"}
RESPONSES = file_responses(
    {
        MEDIA["svg"]: {**TEXT_SCHEMA, "description": "SVG : titre, description, source, licence."},
        MEDIA["png"]: BINARY_SCHEMA,
        MEDIA["json"]: {**OBJECT_SCHEMA, "description": "La spécification Vega-Lite."},
    },
    not_found="Publication, période ou territoire absent, ou vue hors du plan de publication "
    "(« Non publié à ce niveau de détail »).",
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
    return request.app.state.response_cache.respond(
        request, cube, ("image", *key), explicit=publication is not None,
        max_age=request.app.state.settings.api_cache_max_age_s,
        build=lambda: checked(request, lambda: build(cube)),
    )  # fmt: skip


def _flagged(cube: Any, territories: Any, incident: str, kind: str) -> list[str]:
    """Départements in alert on the map: by quarter, else month, among the steps the plan
    publishes for département × this incident level (none when it publishes neither)."""
    steps = [s for s in ("trimestre", "mois") if alerts.step_periods(cube, s)]
    planned = [s for s in steps if cube.plan.includes("departement", kind, s)]
    if not planned:
        return []
    deps = {dep_id(d.code): d.code for d in territories.departements}
    report = alerts.detect(cube, list(deps), incident, planned[0])
    return [deps[a.territory] for a in report.alerts]


@router.get("/carte.{format}", response_class=Response, responses=RESPONSES)
async def map_image(
    request: Request,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
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

    def build(cube):  # type: ignore[no-untyped-def]
        incident = views.check_incident(cube, taxonomy, type)
        kind = cube.incident_level(incident)
        period = views.check_period(cube, periode, "departement", kind)
        rows = views.by_territory(cube, territories, "departement", incident, period)
        figures = [Figure(r.code, r.nom, r.valeur, r.taux_100k) for r in rows]
        flagged = _flagged(cube, territories, incident, kind)
        words = {"mesure": label(mesure, langue), "type": type_label(taxonomy, incident, langue),
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
            else settings.public_dashboard_url.rstrip("/") + "/prefecture?dep={code}" + suffix
        )
        layout, topology = _geometry(settings.geodata_dir / "departements-carte.geojson")
        spec = images.map_view(layout, topology, figures, mesure=mesure, caption=caption,
                               lang=langue, alerts=flagged, link=link)  # fmt: skip
        return render(spec, caption, format)

    key = ("carte", type, periode, mesure, langue, format, liens)
    return await _respond(request, publication, key, build)


@router.get("/serie.{format}", response_class=Response, responses=RESPONSES)
async def series_image(
    request: Request,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
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
) -> Response:
    """Série d'un territoire (ou de la France) pour un type, au pas donné, en SVG, PNG ou
    spécification Vega-Lite ; les périodes en secret statistique interrompent la ligne.
    """
    level = "france" if territoire == "FR" else "departement"

    def build(cube):  # type: ignore[no-untyped-def]
        incident = views.check_incident(cube, taxonomy, type)
        rows = views.series(cube, territories, level, territoire, incident, pas)
        _tid, name, _pop = views.resolve_territory(territories, level, territoire)
        figures = [Figure(r.code, r.nom, r.valeur, r.taux_100k) for r in rows]
        words = {"mesure": label(mesure, langue), "type": type_label(taxonomy, incident, langue),
                 "territoire": name}  # fmt: skip
        caption = Caption(
            title=label("series_title", langue, **words),
            description=label("series_desc", langue, **words, pas=pas, id=cube.meta.id,
                              hidden=sum(1 for r in rows if r.valeur is None),
                              total=len(rows)),
            source=images.source_line(cube.meta.id, cube.meta.publiee_le,
                                      cube.meta.synthetique, langue),
        )  # fmt: skip
        spec = images.series_view(figures, mesure=mesure, caption=caption, lang=langue)
        return render(spec, caption, format)

    key = ("serie", territoire, type, pas, mesure, langue, format)
    return await _respond(request, publication, key, build)
