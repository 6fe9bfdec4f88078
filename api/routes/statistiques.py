"""Public statistics: slices of one publication, never a re-aggregation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

from api.deps import SettingsDep, TaxonomyDep, TerritoriesDep
from api.params import PeriodeParam, PublicationParam, TerritoireParam, TypeParam
from api.public_models import (
    CSV_MEDIA_TYPE,
    GEOJSON_MEDIA_TYPE,
    RepartitionTypes,
    SerieStatistique,
    TrancheStatistique,
    public_responses,
)
from api.rendering import to_csv, to_geojson, to_json
from observatoire.publication import views

router = APIRouter(prefix="/v1/statistiques", tags=["Statistiques publiques"])

Niveau = Literal["departement", "region", "france"]
Format = Literal["json", "csv", "geojson"]
FORMAT_MEDIA = {"json": "application/json", "csv": CSV_MEDIA_TYPE, "geojson": GEOJSON_MEDIA_TYPE}
NOT_FOUND = "Publication, période, type ou territoire absent."


async def _respond(
    request: Request, settings: Any, publication: int | None, key: tuple, fmt: str, build
) -> Response:  # type: ignore[no-untyped-def]
    store = request.app.state.publications
    cube = await store.aresolve(publication)

    def render() -> tuple[bytes, str]:
        try:
            query, data = build(cube)
        except views.SliceError as exc:
            raise HTTPException(status_code=exc.status, detail=str(exc)) from exc
        if fmt == "csv":
            return to_csv(cube.meta, query, data), FORMAT_MEDIA["csv"]
        if fmt == "geojson":
            shapes = settings.geodata_dir / "departements.geojson"
            return to_geojson(cube.meta, query, data, shapes), FORMAT_MEDIA["geojson"]
        return to_json(cube.meta, query, data), FORMAT_MEDIA["json"]

    return request.app.state.response_cache.respond(
        request,
        cube,
        (*key, fmt),
        explicit=publication is not None,
        max_age=settings.api_cache_max_age_s,
        build=render,
    )


@router.get(
    "",
    response_class=Response,
    responses=public_responses(TrancheStatistique, geojson=True, not_found=NOT_FOUND),
)
async def statistics(
    request: Request,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    niveau: Niveau = "departement",
    type: TypeParam = "tous",  # noqa: A002 - the public parameter name
    periode: PeriodeParam = None,
    publication: PublicationParam = None,
    format: Format = "json",  # noqa: A002
) -> Response:
    """Valeurs d'une tranche : tous les territoires d'un niveau, pour un type et une période.

    Les cellules masquées par le secret statistique ont `valeur: null, secret: true` (toutes de
    la même façon, quelle que soit la raison). `taux_100k` : signalements pour 100 000 habitants.
    `format=geojson` n'existe qu'au niveau département.
    """
    if format == "geojson" and niveau != "departement":
        raise HTTPException(422, "format=geojson n'est disponible qu'au niveau departement")

    def build(cube):  # type: ignore[no-untyped-def]
        incident = views.check_incident(cube, taxonomy, type)
        period = views.check_period(cube, periode)
        rows = views.by_territory(cube, territories, niveau, incident, period)
        query = {"niveau": niveau, "type": incident, "periode": period}
        return query, [views_row(r) for r in rows]

    return await _respond(
        request, settings, publication, ("stat", niveau, type, periode), format, build
    )


@router.get(
    "/serie",
    response_class=Response,
    responses=public_responses(SerieStatistique, not_found=NOT_FOUND),
)
async def series(
    request: Request,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    territoire: TerritoireParam = "FR",
    niveau: Annotated[
        Niveau | None,
        Query(description="Niveau du territoire (déduit : FR → france, sinon departement)."),
    ] = None,  # noqa: E501
    type: TypeParam = "tous",  # noqa: A002
    pas: Literal["mois", "trimestre", "annee"] = "annee",
    publication: PublicationParam = None,
    format: Literal["json", "csv"] = "json",  # noqa: A002
) -> Response:
    """Série temporelle d'un territoire pour un type, au pas mensuel, trimestriel ou annuel.

    Seuls les trimestres et années complets sont publiés.
    """
    level = niveau or ("france" if territoire == "FR" else "departement")

    def build(cube):  # type: ignore[no-untyped-def]
        incident = views.check_incident(cube, taxonomy, type)
        rows = views.series(cube, territories, level, territoire, incident, pas)
        query = {"niveau": level, "territoire": territoire, "type": incident, "pas": pas}
        return query, [{"periode": r.code, **_values(r)} for r in rows]

    key = ("serie", level, territoire, type, pas)
    return await _respond(request, settings, publication, key, format, build)


@router.get(
    "/types",
    response_class=Response,
    responses=public_responses(RepartitionTypes, not_found=NOT_FOUND),
)
async def by_type(
    request: Request,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    territoire: TerritoireParam = "FR",
    niveau: Annotated[Niveau | None, Query(description="Niveau du territoire.")] = None,
    periode: PeriodeParam = None,
    langue: Literal["fr", "en"] = "fr",
    publication: PublicationParam = None,
    format: Literal["json", "csv"] = "json",  # noqa: A002
) -> Response:
    """Répartition par type et par famille d'incident pour un territoire et une période."""
    level = niveau or ("france" if territoire == "FR" else "departement")

    def build(cube):  # type: ignore[no-untyped-def]
        period = views.check_period(cube, periode)
        rows = views.by_incident(cube, territories, taxonomy, level, territoire, period, langue)
        query = {"niveau": level, "territoire": territoire, "periode": period}
        return query, [
            {"code": r.code, "nom": r.nom, "niveau_type": kind, "famille": fam, **_values(r)}
            for kind, fam, r in rows
        ]

    key = ("types", level, territoire, periode, langue)
    return await _respond(request, settings, publication, key, format, build)


def _values(row: views.Row) -> dict[str, Any]:
    return {"valeur": row.valeur, "secret": row.secret, "taux_100k": row.taux_100k}


def views_row(row: views.Row) -> dict[str, Any]:
    """A territory row as JSON."""
    return {"code": row.code, "nom": row.nom, **_values(row)}
