"""Publications: the numbered, immutable snapshots that every public figure comes from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field

from api.problems import TableauPublie, problem_responses
from api.rendering import meta_dict
from observatoire.domain.periods import period_level
from observatoire.publication.planned import table_payload

router = APIRouter(prefix="/v1/publications", tags=["Publications"])


class PublicationPublic(BaseModel):
    """Métadonnées d'une publication."""

    id: int
    publiee_le: str
    type_publication: str = Field(description="initiale, mensuelle ou consolidee.")
    premier_mois: str
    donnees_jusqu_a: str = Field(description="Dernier mois couvert (AAAA-MM).")
    seuil: int = Field(description="Seuil k du secret statistique.")
    cellules: int
    cellules_secretes: int
    taux_secret: float
    associations: int
    soumissions: int
    synthetique: bool = Field(description="Données fictives de démonstration.")
    taxonomie_version: str
    plan_publication: str = Field(
        description="Plan de publication (`nom/version`) : les tableaux publiés. `complet/1` "
        "pour les publications d'avant les plans (tous les croisements)."
    )


class PlanPublication(BaseModel):
    """Le plan de publication : les tableaux (territoire × incidents × période) publiés."""

    nom: str = Field(examples=["lecteurs"])
    version: str
    description: str
    tableaux: list[TableauPublie] = Field(
        description="Les tableaux publiés ; une tranche d'un autre tableau est refusée (404, "
        "« Non publié à ce niveau de détail »)."
    )


class PublicationDetail(PublicationPublic):
    """Métadonnées d'une publication, les périodes qu'elle contient et son plan."""

    periodes: dict[str, list[str]] = Field(
        description="Périodes publiées par pas (mois, trimestre, annee), dans l'ordre."
    )
    plan: PlanPublication


class PublicationsPublic(BaseModel):
    """Liste des publications, de la plus récente à la plus ancienne."""

    data: list[PublicationPublic]
    count: int


def _public(meta: Any) -> PublicationPublic:
    return PublicationPublic(**meta_dict(meta))


@router.get("", response_model=PublicationsPublic)
async def list_publications(request: Request) -> PublicationsPublic:
    """Toutes les publications ; les anciennes restent lisibles avec `?publication=ID`."""
    metas = request.app.state.publications.metas
    return PublicationsPublic(data=[_public(m) for m in metas], count=len(metas))


@router.get(
    "/{publication_id}",
    response_model=PublicationDetail,
    responses={404: {**problem_responses(404)[404], "description": "Publication introuvable."}},
)
async def get_publication(
    publication_id: Annotated[int, Path(ge=1, le=2**31 - 1)], request: Request
) -> PublicationDetail:
    """Métadonnées d'une publication : couverture, seuil, taux de secret, périodes publiées,
    et son plan de publication (`plan.tableaux` : les tableaux publiés, chacun un niveau de
    territoire, d'incidents et de période)."""
    try:
        cube = await request.app.state.publications.aresolve(publication_id)
    except HTTPException:
        cube = None
    if cube is None:
        raise HTTPException(404, f"publication {publication_id} introuvable")
    steps: dict[str, list[str]] = {"mois": [], "trimestre": [], "annee": []}
    for period in sorted(cube.periods):
        steps[period_level(period)].append(period)
    plan = PlanPublication(
        nom=cube.plan.name,
        version=cube.plan.version,
        description=cube.plan.description,
        tableaux=[TableauPublie(**table_payload(t)) for t in cube.plan.ordered_tables()],
    )
    return PublicationDetail(**meta_dict(cube.meta), periodes=steps, plan=plan)
