"""Submissions by associations: send a batch of counts, list and read one's own batches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.auth import CurrentOrg
from api.deps import EngineDep, SettingsDep, TaxonomyDep, TerritoriesDep
from api.problems import PROBLEM_MEDIA_TYPE, Problem, problem_responses
from api.settings import ApiSettings
from api.submission_service import submit_batch
from observatoire.settings import Settings
from observatoire.submissions.queries import get_submission, list_submissions

router = APIRouter(prefix="/v1/soumissions", tags=["Soumissions"])
# Bounds stated in the contract: the default settings (a deployment may lower them).
MAX_COUNT = Settings.model_fields["submission_max_count"].default
MAX_ROWS = Settings.model_fields["submission_max_rows"].default
MAX_BODY_BYTES = ApiSettings.model_fields["api_max_body_bytes"].default


class LigneSoumise(BaseModel):
    """Une ligne : le nombre de signalements d'un type, dans un département, pour un mois."""

    departement: str = Field(
        max_length=3,
        pattern=r"^([0-9]{2}|2[AB]|97[1-6])$",
        examples=["93"],
        description="Code INSEE du département, une chaîne : `01`, `2A`, `974`.",
    )
    mois: str = Field(
        max_length=7,
        pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        examples=["2025-03"],
        description="Mois `AAAA-MM`, ni futur ni antérieur au premier mois accepté.",
    )
    type_incident: str = Field(
        max_length=40,
        pattern=r"^[a-z_]+$",
        examples=["rdv_indisponible"],
        description="Code de la taxonomie (`GET /v1/types-incident`).",
    )
    nombre: int = Field(
        ge=0,
        le=MAX_COUNT,
        examples=[12],
        description="Entier positif ou nul (un JSON entier, pas une chaîne) ; au plus "
        "`SUBMISSION_MAX_COUNT` (1 000 000 par défaut).",
    )


class LotSoumis(BaseModel):
    """Un lot de lignes, enregistré en entier ou pas du tout."""

    lignes: list[LigneSoumise] = Field(
        max_length=MAX_ROWS,
        description="Au plus `SUBMISSION_MAX_ROWS` lignes (10 000 par défaut).",
    )


class ResumeSoumission(BaseModel):
    """Résumé d'import : lignes créées, modifiées (corrections) et inchangées."""

    id: int | None = Field(description="Identifiant de la soumission (`null` en simulation).")
    recue_le: datetime
    lignes: int
    creees: int
    modifiees: int
    inchangees: int


class SoumissionPublic(ResumeSoumission):
    """Une soumission enregistrée."""

    id: int
    source: str = Field(description="`api` ou `fichier`.")
    cle: str | None = Field(description="Préfixe public de la clé utilisée.")


class LigneEnregistree(LigneSoumise):
    """Une ligne telle qu'elle a été soumise."""

    ligne: int


class SoumissionDetail(SoumissionPublic):
    """Une soumission et ses lignes."""

    contenu: list[LigneEnregistree]


class SoumissionsPublic(BaseModel):
    """Une page de soumissions (les plus récentes d'abord) et leur nombre total."""

    data: list[SoumissionPublic]
    count: int


async def read_body(request: Request) -> bytes:
    """The raw request body (the size limit is enforced by the middleware while reading)."""
    return await request.body()


CSV_EXAMPLE = "departement;mois;type_incident;nombre\n93;2025-03;rdv_indisponible;12\n"
REQUEST_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": LotSoumis.model_json_schema()},
            "text/csv": {
                "schema": {"type": "string", "maxLength": MAX_BODY_BYTES},
                "example": CSV_EXAMPLE,
            },
        },
    }
}


@router.post(
    "",
    status_code=201,
    response_model=ResumeSoumission,
    openapi_extra=REQUEST_BODY_DOC,
    responses={
        200: {
            "model": ResumeSoumission,
            "description": "Simulation (`dry_run=true`) : rien n'est écrit.",
        },
        **problem_responses(401, 409, 413, 415, 422, 429),
    },
)
def create_submission(
    caller: CurrentOrg,
    request: Request,
    body: Annotated[bytes, Depends(read_body)],
    engine: EngineDep,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    dry_run: Annotated[bool, Query(description="Valider sans rien écrire.")] = False,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            pattern=r"^[\x20-\x7e]+$",
            description="Clé choisie par le client (ASCII imprimable, par exemple un UUID) : une "
            "nouvelle tentative renvoie la première réponse (même statut, même corps).",
        ),
    ] = None,
) -> JSONResponse:
    """Soumet un lot de comptages : JSON `{"lignes": [...]}` ou CSV (`,` ou `;`).

    Le lot est validé en entier : à la moindre erreur rien n'est enregistré et la réponse 422
    liste **chaque** ligne fautive (`ligne` compte les lignes de données à partir de 1, l'en-tête
    CSV n'est pas compté). Une ligne pour un département, un mois et un type déjà déclarés
    remplace la valeur précédente (correction, 0 compris) ; chaque changement est historisé.
    Avec `Idempotency-Key`, une nouvelle tentative renvoie la première réponse (422 comprises) ;
    la même clé avec un autre corps donne 422, et 409 tant que la première est en cours.
    """
    outcome = submit_batch(
        engine=engine,
        caller=caller,
        body=body,
        content_type=request.headers.get("content-type"),
        dry_run=dry_run,
        idempotency_key=idempotency_key,
        settings=settings,
        territories=territories,
        taxonomy=taxonomy,
    )
    return JSONResponse(
        outcome.body,
        status_code=outcome.status_code,
        media_type=PROBLEM_MEDIA_TYPE if outcome.is_problem else "application/json",
        headers={"Idempotency-Replayed": "true"} if outcome.replayed else None,
    )


@router.get("", response_model=SoumissionsPublic, responses=problem_responses(401, 422, 429))
def list_own_submissions(
    caller: CurrentOrg,
    engine: EngineDep,
    page: Annotated[
        int, Query(ge=1, le=1_000_000, description="Numéro de page, à partir de 1.")
    ] = 1,
    par_page: Annotated[int, Query(ge=1, le=200, description="Soumissions par page.")] = 50,
) -> SoumissionsPublic:
    """Les soumissions de votre organisation, les plus récentes d'abord."""
    records, count = list_submissions(
        engine, caller.organisation_id, offset=(page - 1) * par_page, limit=par_page
    )
    return SoumissionsPublic(data=[_public(r) for r in records], count=count)


@router.get(
    "/{submission_id}", response_model=SoumissionDetail, responses=problem_responses(401, 404, 429)
)
def read_own_submission(
    caller: CurrentOrg,
    engine: EngineDep,
    submission_id: Annotated[
        int, Path(ge=1, le=2**31 - 1, description="Identifiant de la soumission.")
    ],
) -> SoumissionDetail:
    """Une soumission de votre organisation et ses lignes ; 404 si elle n'existe pas ou n'est pas
    la vôtre."""
    found = get_submission(engine, caller.organisation_id, submission_id)
    if found is None:
        raise Problem(
            404, f"Soumission {submission_id} introuvable.", slug="soumission-introuvable"
        )
    record, rows = found
    return SoumissionDetail(
        **_public(record).model_dump(),
        contenu=[
            LigneEnregistree(
                ligne=r.ligne,
                departement=r.departement,
                mois=r.mois,
                type_incident=r.type_incident,
                nombre=r.nombre,
            )
            for r in rows
        ],
    )


def _public(record) -> SoumissionPublic:  # type: ignore[no-untyped-def]
    return SoumissionPublic(
        id=record.id,
        recue_le=record.recue_le,
        source=record.source,
        cle=record.key_prefix,
        lignes=record.lignes,
        creees=record.creees,
        modifiees=record.modifiees,
        inchangees=record.inchangees,
    )
