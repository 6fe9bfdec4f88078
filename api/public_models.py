"""Declared response models of the public statistics routes (JSON, GeoJSON and CSV), so that the
OpenAPI document says what each answer holds and a fuzzer can check it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.problems import PROBLEM_MEDIA_TYPE, ProblemDetails
from api.routes.publications import PublicationPublic

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
GEOJSON_MEDIA_TYPE = "application/geo+json"
CSV_SCHEMA = {
    "type": "string",
    "description": "CSV (UTF-8, virgule) : le numéro de publication sur chaque ligne, "
    "les valeurs masquées vides avec `secret` à true.",
}


class Valeur(BaseModel):
    """Une valeur publiée, ou masquée par le secret statistique (`valeur: null, secret: true`)."""

    valeur: int | None = Field(description="Nombre de signalements ; null si masqué.")
    secret: bool
    taux_100k: float | None = Field(description="Signalements pour 100 000 habitants.")


class LigneTerritoire(Valeur):
    """Un territoire."""

    code: str
    nom: str


class LignePeriode(Valeur):
    """Une période d'une série."""

    periode: str


class LigneType(Valeur):
    """Un type, une famille ou « tous »."""

    code: str
    nom: str
    niveau_type: str = Field(description="tous, famille ou type.")
    famille: str


class TrancheStatistique(BaseModel):
    """Une tranche : tous les territoires d'un niveau pour un type et une période."""

    publication: PublicationPublic
    requete: dict[str, str]
    data: list[LigneTerritoire]


class SerieStatistique(BaseModel):
    """Une série temporelle."""

    publication: PublicationPublic
    requete: dict[str, str]
    data: list[LignePeriode]


class RepartitionTypes(BaseModel):
    """La répartition par type et famille."""

    publication: PublicationPublic
    requete: dict[str, str]
    data: list[LigneType]


class Departement(BaseModel):
    """Un département de la carte et ses valeurs publiées."""

    type: Literal["Feature"]
    geometry: dict[str, Any]
    properties: LigneTerritoire


class TrancheGeoJSON(BaseModel):
    """Une tranche au format GeoJSON (départements seulement)."""

    type: Literal["FeatureCollection"]
    publication: PublicationPublic
    requete: dict[str, str]
    features: list[Departement]


class Historique(BaseModel):
    """Une période de l'historique d'une alerte."""

    periode: str
    valeur: int


class Alerte(LigneTerritoire):
    """Un département en alerte."""

    periode: str
    valeur: int  # type: ignore[assignment] - an alert is never on a hidden cell
    mediane: float
    mad: float
    ratio: float
    historique: list[Historique]


class Regle(BaseModel):
    """La règle d'alerte appliquée."""

    description: str
    fenetre: int
    ratio: float
    facteur_mad: float
    mad_minimum: float


class Alertes(BaseModel):
    """Les alertes d'une publication."""

    publication: PublicationPublic
    requete: dict[str, str | None]
    regle: Regle
    evaluees: int
    non_evaluables: int
    count: int
    data: list[Alerte]


def public_responses(
    model: type[BaseModel], *, geojson: bool = False, not_found: str
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a public slice route: JSON model, CSV (and GeoJSON), 304, 404, 422."""
    content: dict[str, Any] = {CSV_MEDIA_TYPE: {"schema": CSV_SCHEMA}}
    if geojson:
        content[GEOJSON_MEDIA_TYPE] = {"schema": TrancheGeoJSON.model_json_schema()}
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    return {
        200: {"model": model, "content": content},
        304: {"description": "Inchangé (ETag)."},
        404: {"model": ProblemDetails, "description": not_found, "content": problem},
        422: {"model": ProblemDetails, "description": "Paramètre invalide.", "content": problem},
    }


TEXT_SCHEMA: dict[str, Any] = {"type": "string"}
BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}
OBJECT_SCHEMA: dict[str, Any] = {"type": "object"}


def file_responses(
    content: dict[str, dict[str, Any]], *, not_found: str | None = None, etag: bool = False
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route answering a document (media type -> schema): 200, and 304, 404
    and 422 problem documents where they apply."""
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    out: dict[int | str, dict[str, Any]] = {
        200: {"content": {media: {"schema": schema} for media, schema in content.items()}},
        422: {"model": ProblemDetails, "description": "Paramètre invalide.", "content": problem},
    }
    if etag:
        out[304] = {"description": "Inchangé (ETag)."}
    if not_found is not None:
        out[404] = {"model": ProblemDetails, "description": not_found, "content": problem}
    return out
