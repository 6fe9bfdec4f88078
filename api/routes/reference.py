"""Reference data: départements, régions, incident types."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import TaxonomyDep, TerritoriesDep

router = APIRouter(prefix="/v1", tags=["Référentiels"])


class DepartementPublic(BaseModel):
    """Un département (code officiel géographique de l'INSEE)."""

    code: str = Field(description="Code INSEE, toujours une chaîne : `01`, `2A`, `974`…")
    nom: str
    region_code: str
    region_nom: str
    prefecture: str = Field(description="Préfecture compétente pour les titres de séjour.")
    population: int = Field(description="Population municipale (recensement le plus récent).")


class RegionPublic(BaseModel):
    """Une région et ses départements."""

    code: str
    nom: str
    departements: list[str]
    population: int


class FamillePublic(BaseModel):
    """Une famille de types d'incident."""

    code: str
    libelle_fr: str
    libelle_en: str


class TypeIncidentPublic(BaseModel):
    """Un type d'incident de la taxonomie."""

    code: str
    famille: str
    libelle_fr: str
    libelle_en: str
    description_fr: str
    description_en: str


class TaxonomiePublic(BaseModel):
    """La taxonomie versionnée des incidents."""

    version: str
    familles: list[FamillePublic]
    types: list[TypeIncidentPublic]


@router.get("/departements", response_model=list[DepartementPublic])
async def list_departements(territories: TerritoriesDep) -> list[DepartementPublic]:
    """Les 101 départements couverts, avec leur préfecture compétente et leur population."""
    return [
        DepartementPublic.model_validate(d, from_attributes=True) for d in territories.departements
    ]


@router.get("/regions", response_model=list[RegionPublic])
async def list_regions(territories: TerritoriesDep) -> list[RegionPublic]:
    """Les 18 régions et la liste de leurs départements."""
    return [
        RegionPublic(
            code=r.code, nom=r.nom, departements=list(r.departements), population=r.population
        )
        for r in territories.regions
    ]


@router.get("/types-incident", response_model=TaxonomiePublic)
async def list_incident_types(taxonomy: TaxonomyDep) -> TaxonomiePublic:
    """La taxonomie des incidents : familles et types, libellés en français et en anglais."""
    return TaxonomiePublic(
        version=taxonomy.version,
        familles=[FamillePublic.model_validate(f, from_attributes=True) for f in taxonomy.families],
        types=[TypeIncidentPublic.model_validate(t, from_attributes=True) for t in taxonomy.types],
    )
