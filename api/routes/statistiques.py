"""Public statistics: slices of one publication, never a re-aggregation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

from api.deps import PublicationsDep, ResponseCacheDep, SettingsDep, TaxonomyDep, TerritoriesDep
from api.params import PeriodeParam, PublicationParam, TerritoireParam, TypeParam
from api.public_models import (
    RepartitionTypes,
    SerieStatistique,
    TrancheStatistique,
    public_responses,
)
from api.rendering import Slice, respond
from observatoire.publication import views
from observatoire.publication.snapshot import PublishedCube

router = APIRouter(prefix="/v1/statistiques", tags=["Statistiques publiques"])

Niveau = Literal["departement", "region", "france"]
Format = Literal["json", "csv", "geojson"]
NOT_FOUND = (
    "Publication, période, type ou territoire absent ; ou tranche hors du plan de publication "
    "(`type` …:non-publie, « Non publié à ce niveau de détail », avec `publies` : les tableaux "
    "publiés à ce niveau)."
)


@router.get(
    "",
    response_class=Response,
    responses=public_responses(TrancheStatistique, geojson=True, not_found=NOT_FOUND),
)
async def statistics(
    request: Request,
    settings: SettingsDep,
    publications: PublicationsDep,
    cache: ResponseCacheDep,
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
    `format=geojson` n'existe qu'au niveau département. Une tranche d'un tableau que le plan de
    la publication ne publie pas (`GET /v1/publications/{id}`, champ `plan`) est refusée (404,
    « Non publié à ce niveau de détail ») ; sans `periode`, la période par défaut est la plus
    récente que le plan publie pour ce niveau et ce type.
    """
    if format == "geojson" and niveau != "departement":
        raise HTTPException(422, "format=geojson n'est disponible qu'au niveau departement")

    def build(cube: PublishedCube) -> Slice:
        incident = views.check_incident(cube, taxonomy, type)
        period = views.check_period(cube, periode, niveau, cube.incident_level(incident))
        rows = views.by_territory(cube, territories, niveau, incident, period)
        query = {"niveau": niveau, "type": incident, "periode": period}
        return Slice(query, [views_row(r) for r in rows])

    return await respond(
        request,
        publications,
        cache,
        publication=publication,
        key=("stat", niveau, type, periode),
        fmt=format,
        max_age=settings.api_cache_max_age_s,
        build=build,
        shapes_file=settings.geodata_dir / "departements.geojson",
    )


@router.get(
    "/serie",
    response_class=Response,
    responses=public_responses(SerieStatistique, not_found=NOT_FOUND),
)
async def series(
    request: Request,
    settings: SettingsDep,
    publications: PublicationsDep,
    cache: ResponseCacheDep,
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

    Seuls les trimestres et années complets sont publiés. Hors du plan de publication : 404
    « Non publié à ce niveau de détail ».
    """
    level = niveau or ("france" if territoire == "FR" else "departement")

    def build(cube: PublishedCube) -> Slice:
        incident = views.check_incident(cube, taxonomy, type)
        rows = views.series(cube, territories, level, territoire, incident, pas)
        query = {"niveau": level, "territoire": territoire, "type": incident, "pas": pas}
        return Slice(query, [{"periode": r.code, **_values(r)} for r in rows])

    return await respond(
        request,
        publications,
        cache,
        publication=publication,
        key=("serie", level, territoire, type, pas),
        fmt=format,
        max_age=settings.api_cache_max_age_s,
        build=build,
    )


@router.get(
    "/types",
    response_class=Response,
    responses=public_responses(RepartitionTypes, not_found=NOT_FOUND),
)
async def by_type(
    request: Request,
    settings: SettingsDep,
    publications: PublicationsDep,
    cache: ResponseCacheDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    territoire: TerritoireParam = "FR",
    niveau: Annotated[Niveau | None, Query(description="Niveau du territoire.")] = None,
    periode: PeriodeParam = None,
    langue: Literal["fr", "en"] = "fr",
    publication: PublicationParam = None,
    format: Literal["json", "csv"] = "json",  # noqa: A002
) -> Response:
    """Répartition par type et par famille d'incident pour un territoire et une période.

    Seuls les niveaux (tous, familles, types) que le plan de publication publie pour ce niveau
    de territoire et ce pas figurent ; aucun : 404 « Non publié à ce niveau de détail ».
    """
    level = niveau or ("france" if territoire == "FR" else "departement")

    def build(cube: PublishedCube) -> Slice:
        period = views.check_period(cube, periode, level, None)
        rows = views.by_incident(cube, territories, taxonomy, level, territoire, period, langue)
        query = {"niveau": level, "territoire": territoire, "periode": period}
        return Slice(
            query,
            [
                {"code": r.code, "nom": r.nom, "niveau_type": kind, "famille": fam, **_values(r)}
                for kind, fam, r in rows
            ],
        )

    return await respond(
        request,
        publications,
        cache,
        publication=publication,
        key=("types", level, territoire, periode, langue),
        fmt=format,
        max_age=settings.api_cache_max_age_s,
        build=build,
    )


def _values(row: views.Row) -> dict[str, Any]:
    return {"valeur": row.valeur, "secret": row.secret, "taux_100k": row.taux_100k}


def views_row(row: views.Row) -> dict[str, Any]:
    """A territory row as JSON."""
    return {"code": row.code, "nom": row.nom, **_values(row)}
