"""Response models of the associations' routes (`docs/api-associations.md`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class LigneSoumise(BaseModel):
    """Une ligne : le nombre de signalements d'un type, dans un département, pour un mois."""

    departement: str = Field(
        max_length=3, description="Code INSEE du département, une chaîne : `01`, `2A`, `974`."
    )
    mois: str = Field(
        max_length=7, description="Mois `AAAA-MM`, ni futur ni antérieur au premier mois accepté."
    )
    type_incident: str = Field(
        max_length=40, description="Code de la taxonomie (`GET /v1/types-incident`)."
    )
    nombre: int = Field(ge=0, description="Entier positif ou nul (un JSON entier, pas une chaîne).")


class LotSoumis(BaseModel):
    """Un lot de lignes, enregistré en entier ou pas du tout."""

    lignes: list[LigneSoumise] = Field(
        max_length=1_000_000,
        description="L'élément d'indice i est la ligne i + 2 (en-tête = ligne 1), comme dans un "
        "tableur.",
    )
    motif: str | None = Field(None, max_length=500, description="Raison de l'envoi (correction).")


class Erreur(BaseModel):
    """Une erreur ou un avertissement, à sa ligne de tableur (en-tête = 1)."""

    ligne: int | None = Field(description="Ligne du tableur (en-tête = 1) ; null : tout le lot.")
    colonne: str | None = Field(description="Champ en cause (`departement`, `mois`, …).")
    champ: str | None = Field(description="Identique à `colonne`.")
    emplacement: str | None = Field(description="Cellule ou colonne du fichier, si connue.")
    valeur: Any = Field(None, description="Valeur reçue.")
    message: str = Field(description="Ce qui ne va pas et comment corriger.")
    suggestion: str | None = Field(description="Valeur probable, ou null.")
    raison: str = Field(description="Copie de `message` (ancien nom).")


class LigneComprise(BaseModel):
    """Une ligne telle que l'observatoire l'a comprise, et son effet."""

    ligne: int
    departement: str
    departement_nom: str | None
    mois: str
    type_incident: str
    type_libelle: str | None
    nombre: int
    statut: Literal["nouvelle", "modifiee", "inchangee"]
    ancien_nombre: int | None = Field(description="Valeur remplacée ; null pour une nouvelle.")


class Resume(BaseModel):
    """Comptes du résumé d'import."""

    lignes: int
    nouvelles: int
    modifiees: int
    inchangees: int


class ResumeImport(BaseModel):
    """Résumé d'import (aperçu ou envoi enregistré)."""

    dry_run: bool
    fichier: str | None
    soumission_id: int | None = Field(description="`null` en aperçu.")
    recue_le: datetime
    format: str = Field(description="`json`, `csv` ou `xlsx`.")
    lignes: list[LigneComprise]
    resume: Resume
    avertissements: list[Erreur]
    notes: list[str] = Field(description="Comment le fichier a été lu.")


class SoumissionPublic(BaseModel):
    """Une soumission enregistrée."""

    id: int
    recue_le: datetime
    cle: str | None = Field(description="Préfixe public de la clé utilisée.")
    source: str = Field(description="`api` ou `fichier`.")
    fichier: str | None
    lignes: int
    nouvelles: int
    modifiees: int
    inchangees: int
    statut: Literal["active", "retiree"]
    motif: str | None
    retiree_le: datetime | None
    motif_retrait: str | None


class LigneEnregistree(BaseModel):
    """Une ligne telle qu'elle a été soumise."""

    ligne: int
    departement: str
    mois: str
    type_incident: str
    nombre: int


class SoumissionDetail(SoumissionPublic):
    """Une soumission et ses lignes."""

    contenu: list[LigneEnregistree]


class SoumissionsPublic(BaseModel):
    """Une page de soumissions (les plus récentes d'abord) et leur nombre total."""

    data: list[SoumissionPublic]
    count: int


class DemandeRetrait(BaseModel):
    """Retrait d'un lot : la raison est obligatoire (historisée)."""

    motif: str = Field(min_length=1, max_length=500)


class Retrait(BaseModel):
    """Ce qu'un retrait a fait."""

    soumission_id: int
    statut: Literal["retiree"]
    retiree_le: datetime
    motif: str
    restaurees: int = Field(description="Cellules revenues à leur valeur d'avant le lot.")
    effacees: int = Field(description="Cellules redevenues non déclarées (jamais zéro).")
    conservees: int = Field(description="Cellules modifiées depuis par un lot plus récent.")


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON schema with its nested models written in place: an `openapi_extra` or a
    `responses` content is not where `#/$defs/…` references could be resolved."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)  # type: ignore[no-any-return]
