"""Public routes for contributors and readers: submission templates, the publication schedule,
and how many associations reported each month."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import EngineDep, SettingsDep, TaxonomyDep, TerritoriesDep
from api.problems import problem_responses
from observatoire.publication.coverage import reporting_coverage
from observatoire.publication.schedule import upcoming
from observatoire.submissions.templates import csv_template, xlsx_template

router = APIRouter(prefix="/v1", tags=["Calendrier et modèles"])
PARIS = ZoneInfo("Europe/Paris")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PublicationPlanifiee(BaseModel):
    """Une publication au calendrier."""

    date: date
    type: Literal["mensuelle", "consolidee"]
    donnees_jusqu_a: str
    description: str


class Calendrier(BaseModel):
    """La politique de publication et les prochaines dates."""

    politique: str
    jour_mensuel: int
    jour_consolide: int
    fuseau: str
    prochaines: list[PublicationPlanifiee]


class MoisCouverture(BaseModel):
    """Un mois : combien d'associations ont déclaré."""

    mois: str
    associations: int


class Couverture(BaseModel):
    """Par mois publié, le nombre d'associations déclarantes."""

    donnees_jusqu_a: str | None = Field(description="Dernier mois publié.")
    data: list[MoisCouverture]


def policy_text(monthly: int, consolidated: int) -> str:
    """The schedule in one French paragraph."""
    return (
        f"Chaque mois, le {monthly} (heure de Paris), la publication mensuelle ajoute le mois "
        f"qui vient de se terminer. Le {consolidated} de chaque mois, si des chiffres tardifs ou "
        "des corrections concernent des mois déjà publiés, une publication consolidée les "
        "intègre, auditée conjointement avec les millésimes antérieurs. Les chiffres du mois "
        "en cours ne sont jamais publiés."
    )


@router.get("/calendrier", response_model=Calendrier, responses=problem_responses(422))
def read_schedule(
    settings: SettingsDep,
    nombre: Annotated[int, Query(ge=1, le=24, description="Nombre de dates à venir.")] = 6,
) -> Calendrier:
    """Le calendrier des publications : politique et prochaines dates."""
    today = datetime.now(PARIS).date()
    monthly, consolidated = (
        settings.publication_monthly_day,
        settings.publication_consolidated_day,
    )
    return Calendrier(
        politique=policy_text(monthly, consolidated),
        jour_mensuel=monthly,
        jour_consolide=consolidated,
        fuseau="Europe/Paris",
        prochaines=[
            PublicationPlanifiee(
                date=s.on,
                type=s.kind,
                donnees_jusqu_a=s.up_to,
                description=(
                    f"ajoute le mois {s.up_to}"
                    if s.kind == "mensuelle"
                    else "intègre les chiffres tardifs et les corrections, si des valeurs en "
                    "attendent"
                ),
            )
            for s in upcoming(today, settings, nombre)
        ],
    )


@router.get("/couverture", response_model=Couverture)
def read_coverage(engine: EngineDep) -> Couverture:
    """Par mois publié, combien d'associations ont déclaré : une hausse des signalements se
    lit à côté d'une hausse du nombre de déclarants."""
    up_to, rows = reporting_coverage(engine)
    return Couverture(
        donnees_jusqu_a=up_to, data=[MoisCouverture(mois=m, associations=n) for m, n in rows]
    )


@router.get(
    "/modeles/soumission.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def csv_template_file(taxonomy: TaxonomyDep) -> Response:
    """Modèle CSV : en-tête et une ligne d'exemple (à remplacer par vos chiffres)."""
    return Response(
        csv_template(taxonomy, datetime.now(PARIS).date()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="modele-soumission.csv"'},
    )


@router.get(
    "/modeles/soumission.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
def xlsx_template_file(territories: TerritoriesDep, taxonomy: TaxonomyDep) -> Response:
    """Modèle XLSX : feuille « Comptages » (listes déroulantes) et feuille « Référentiel »
    (codes et noms des départements, types et leurs définitions)."""
    return Response(
        xlsx_template(territories, taxonomy, datetime.now(PARIS).date()),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="modele-soumission.xlsx"'},
    )
