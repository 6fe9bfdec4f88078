"""Publications: the numbered, immutable snapshots that every public figure comes from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from api.rendering import meta_dict

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


class PublicationsPublic(BaseModel):
    """Liste des publications, de la plus récente à la plus ancienne."""

    data: list[PublicationPublic]
    count: int


def _public(meta: Any) -> PublicationPublic:
    return PublicationPublic(**meta_dict(meta))


@router.get("", response_model=PublicationsPublic)
def list_publications(request: Request) -> PublicationsPublic:
    """Toutes les publications ; les anciennes restent lisibles avec `?publication=ID`."""
    metas = request.app.state.publications.metas
    return PublicationsPublic(data=[_public(m) for m in metas], count=len(metas))


@router.get("/{publication_id}", response_model=PublicationPublic, responses={404: {}})
def get_publication(publication_id: int, request: Request) -> PublicationPublic:
    """Métadonnées d'une publication : couverture, seuil, taux de secret."""
    for meta in request.app.state.publications.metas:
        if meta.id == publication_id:
            return _public(meta)
    raise HTTPException(404, f"publication {publication_id} introuvable")
