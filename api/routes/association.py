"""What an association holds, the history of a cell, its completeness calendar, who it is.

Every route reads the caller's organisation only: another organisation's cells answer 404.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.auth import CurrentOrg
from api.deps import EngineDep, SettingsDep, TaxonomyDep, TerritoriesDep
from api.problems import Problem, problem_responses
from observatoire.domain.periods import current_month
from observatoire.store.db import read_session
from observatoire.store.models import Organisation
from observatoire.submissions.completeness import completeness
from observatoire.submissions.export import safe_cell
from observatoire.submissions.holdings import Filters, cell_history, held_values

router = APIRouter(prefix="/v1", tags=["Espace association"])
PARIS = ZoneInfo("Europe/Paris")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Mois = Annotated[str, Query(pattern=MONTH, max_length=7, description="Mois `AAAA-MM`.")]
Departement = Annotated[
    str, Query(pattern=r"^[0-9AB]{2,3}$", max_length=3, description="Code département.")
]
TypeIncident = Annotated[
    str, Query(pattern=r"^[a-z0-9_]{1,40}$", max_length=40, description="Code du type.")
]


class ValeurDetenue(BaseModel):
    """Une valeur que l'association détient aujourd'hui."""

    departement: str
    departement_nom: str | None
    mois: str
    type_incident: str
    type_libelle: str | None
    nombre: int
    modifie_le: datetime
    soumission_id: int


class ValeursDetenues(BaseModel):
    """Une page de valeurs détenues et leur nombre total."""

    data: list[ValeurDetenue]
    count: int


class Changement(BaseModel):
    """Un changement d'une cellule."""

    le: datetime
    action: Literal["creation", "modification", "retrait"]
    ancien_nombre: int | None
    nouveau_nombre: int | None = Field(description="null : la cellule redevient non déclarée.")
    cle: str | None = Field(description="Préfixe de la clé utilisée.")
    soumission_id: int
    motif: str | None


class Historique(BaseModel):
    """L'historique d'une cellule, plus ancien d'abord."""

    departement: str
    mois: str
    type_incident: str
    nombre: int | None = Field(description="Valeur actuelle ; null : non déclarée.")
    data: list[Changement]


class PublicationPrevue(BaseModel):
    """Quand les chiffres d'un mois paraissent."""

    type: Literal["mensuelle", "consolidee", "publiee"]
    date: date
    deja_publie: bool
    message: str


class MoisCompletude(BaseModel):
    """Un mois du calendrier de complétude."""

    mois: str
    statut: Literal["envoye", "manquant", "en_cours"]
    cellules: int
    departements: int
    derniere_modification: datetime | None
    publication: PublicationPrevue | None


class Completude(BaseModel):
    """Le calendrier de complétude de l'association."""

    debut: str
    mois_courant: str
    mois: list[MoisCompletude]
    manquants: list[str]
    message: str | None


class OrganisationPublic(BaseModel):
    """L'organisation de la clé."""

    slug: str
    nom: str
    debut: str | None = Field(description="Premier mois déclaré par l'association.")
    synthetique: bool


CSV_RESPONSE = {
    200: {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ValeursDetenues"}},
            "text/csv": {"schema": {"type": "string"}},
        },
        "description": "JSON, ou CSV `departement;mois;type_incident;nombre` (rechargeable).",
    },
    **problem_responses(401, 422, 429),
}


@router.get("/valeurs", response_model=ValeursDetenues, responses=CSV_RESPONSE)
def read_held_values(
    caller: CurrentOrg,
    engine: EngineDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    mois: Annotated[str | None, Query(pattern=MONTH, max_length=7)] = None,
    departement: Annotated[str | None, Query(pattern=r"^[0-9AB]{2,3}$", max_length=3)] = None,
    type_incident: Annotated[str | None, Query(pattern=r"^[a-z0-9_]{1,40}$", max_length=40)] = None,
    format: Annotated[Literal["json", "csv"], Query(description="`json` ou `csv`.")] = "json",  # noqa: A002
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    par_page: Annotated[int, Query(ge=1, le=5000, description="JSON seulement.")] = 500,
) -> Any:
    """Les valeurs que votre association détient aujourd'hui, filtrables par mois, département
    et type ; `format=csv` les donne toutes, rechargeables telles quelles."""
    filters = Filters(mois, departement, type_incident)
    if format == "csv":
        values, _ = held_values(engine, caller.organisation_id, filters)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["departement", "mois", "type_incident", "nombre"])
        for v in values:
            writer.writerow(
                [safe_cell(v.departement), v.mois, safe_cell(v.type_incident), v.nombre]
            )
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="valeurs.csv"'},
        )
    values, count = held_values(
        engine, caller.organisation_id, filters, offset=(page - 1) * par_page, limit=par_page
    )
    names = {d.code: d.nom for d in territories.departements}
    labels = {t.code: t.libelle_fr for t in taxonomy.types}
    data = [
        ValeurDetenue(
            departement=v.departement,
            departement_nom=names.get(v.departement),
            mois=v.mois,
            type_incident=v.type_incident,
            type_libelle=labels.get(v.type_incident),
            nombre=v.nombre,
            modifie_le=v.modifie_le,
            soumission_id=v.soumission_id,
        )
        for v in values
    ]
    return ValeursDetenues(data=data, count=count)


@router.get(
    "/valeurs/historique",
    response_model=Historique,
    responses=problem_responses(401, 404, 422, 429),
)
def read_cell_history(
    caller: CurrentOrg,
    engine: EngineDep,
    departement: Departement,
    mois: Mois,
    type_incident: TypeIncident,
) -> Historique:
    """L'historique d'une cellule de votre association (ancien → nouveau, quand, quelle clé,
    quelle soumission, quel motif) ; 404 si elle ne l'a jamais déclarée."""
    found = cell_history(engine, caller.organisation_id, departement, mois, type_incident)
    if found is None:
        raise Problem(
            404,
            f"Aucune valeur déclarée par votre association pour {departement}, {mois}, "
            f"{type_incident}.",
            slug="cellule-introuvable",
        )
    current, changes = found
    return Historique(
        departement=departement,
        mois=mois,
        type_incident=type_incident,
        nombre=current,
        data=[Changement(**vars(c)) for c in changes],
    )


@router.get("/completude", response_model=Completude, responses=problem_responses(401, 429))
def read_completeness(caller: CurrentOrg, engine: EngineDep, settings: SettingsDep) -> Completude:
    """Mois par mois depuis le début de votre association : envoyé, manquant ou en cours, et
    quand vos chiffres paraîtront (publication mensuelle ou consolidée)."""
    today = datetime.now(PARIS).date()
    start, months, message = completeness(engine, caller.organisation_id, settings, today)
    return Completude(
        debut=start,
        mois_courant=current_month(today),
        mois=[MoisCompletude(**vars(m)) for m in months],
        manquants=[m.mois for m in months if m.statut == "manquant"],
        message=message,
    )


@router.get(
    "/organisation", response_model=OrganisationPublic, responses=problem_responses(401, 429)
)
def read_organisation(caller: CurrentOrg, engine: EngineDep) -> OrganisationPublic:
    """L'organisation à laquelle appartient la clé."""
    with read_session(engine) as session:
        org = session.get(Organisation, caller.organisation_id)
        assert org is not None
        return OrganisationPublic(
            slug=org.slug, nom=org.nom, debut=org.debut, synthetique=org.synthetique
        )
