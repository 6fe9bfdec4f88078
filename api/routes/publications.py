"""Publications: the numbered, immutable snapshots that every public figure comes from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field

from api.problems import problem_responses
from api.rendering import meta_dict
from observatoire.domain.periods import period_level

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


class PublicationDetail(PublicationPublic):
    """Métadonnées d'une publication et les périodes qu'elle contient."""

    periodes: dict[str, list[str]] = Field(
        description="Périodes publiées par pas (mois, trimestre, annee), dans l'ordre."
    )


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
    """Métadonnées d'une publication : couverture, seuil, taux de secret, périodes publiées."""
    try:
        cube = await request.app.state.publications.aresolve(publication_id)
    except HTTPException:
        cube = None
    if cube is None:
        raise HTTPException(404, f"publication {publication_id} introuvable")
    steps: dict[str, list[str]] = {"mois": [], "trimestre": [], "annee": []}
    for period in sorted(cube.periods):
        steps[period_level(period)].append(period)
    return PublicationDetail(**meta_dict(cube.meta), periodes=steps)
