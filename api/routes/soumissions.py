"""Submissions by associations: send a batch (JSON, CSV or a spreadsheet file), preview it,
list and read one's own batches, withdraw one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.convertors import Convertor, register_url_convertor

from api.association_models import (
    DemandeRetrait,
    LigneEnregistree,
    LotSoumis,
    ResumeImport,
    Retrait,
    SoumissionDetail,
    SoumissionPublic,
    SoumissionsPublic,
    inline_schema,
)
from api.auth import CurrentOrg
from api.deps import EngineDep
from api.problems import PROBLEM_MEDIA_TYPE, Problem, problem_responses
from api.settings import ApiSettings
from api.submission_service import Context, Outcome, submit_batch, submit_file
from observatoire.submissions.messages import language_of
from observatoire.submissions.parsing import REASON_PATTERN
from observatoire.submissions.queries import SubmissionRecord, get_submission, list_submissions
from observatoire.submissions.withdrawal import WithdrawalError, withdraw_submission


class SignedIntegerConvertor(Convertor[str]):
    """A path segment that looks like a whole number, sign included: `/v1/soumissions/fichier`
    is then a path of its own (GET there is 405, not a 422 for a bad id), while `-1` or a
    20-digit id still reach the route and get a 422 naming the parameter."""

    regex = "-?[0-9]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


register_url_convertor("entier", SignedIntegerConvertor())
router = APIRouter(prefix="/v1/soumissions", tags=["Soumissions"])
MAX_BODY_BYTES = ApiSettings.model_fields["api_max_body_bytes"].default

DryRun = Annotated[
    bool,
    Query(description="Aperçu : valider et comparer sans rien écrire (aucune clé consommée)."),
]
Motif = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=REASON_PATTERN,
        description="Raison de l'envoi (une correction), gardée à l'historique ; sans caractère "
        "de contrôle.",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x20-\x7e]+$",
        description="Clé choisie par le client : une nouvelle tentative renvoie la première "
        "réponse (même statut, même corps). Ignorée en aperçu (`dry_run=true`).",
    ),
]
AcceptLanguage = Annotated[
    str | None,
    Header(
        alias="Accept-Language",
        max_length=200,
        description="`en` pour des messages en anglais (français par défaut).",
    ),
]
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Identifiant de la soumission.")]
SUMMARY_RESPONSES = {
    200: {"model": ResumeImport, "description": "Aperçu (`dry_run=true`) : rien n'est écrit."},
    **problem_responses(400, 401, 409, 413, 415, 422, 429),
}


async def read_body(request: Request) -> bytes:
    """The raw request body (the size limit is enforced by the middleware while reading)."""
    return await request.body()


CSV_EXAMPLE = "departement;mois;type_incident;nombre\n93;2025-03;rdv_indisponible;12\n"
REQUEST_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(LotSoumis)},
            "text/csv": {
                "schema": {"type": "string", "maxLength": MAX_BODY_BYTES},
                "example": CSV_EXAMPLE,
            },
        },
    }
}


def _context(request: Request, caller: CurrentOrg, lang: str | None) -> Context:
    state = request.app.state
    return Context(
        engine=state.engine,
        caller=caller,
        settings=state.settings,
        territories=state.territories,
        taxonomy=state.taxonomy,
        lang=language_of(lang),
    )


def _answer(outcome: Outcome) -> JSONResponse:
    return JSONResponse(
        outcome.body,
        status_code=outcome.status_code,
        media_type=PROBLEM_MEDIA_TYPE if outcome.is_problem else "application/json",
        headers={"Idempotency-Replayed": "true"} if outcome.replayed else None,
    )


@router.post(
    "",
    status_code=201,
    response_model=ResumeImport,
    openapi_extra=REQUEST_BODY_DOC,
    responses=SUMMARY_RESPONSES,
)
def create_submission(
    caller: CurrentOrg,
    request: Request,
    body: Annotated[bytes, Depends(read_body)],
    dry_run: DryRun = False,
    motif: Motif = None,
    idempotency_key: IdempotencyKey = None,
    accept_language: AcceptLanguage = None,
) -> JSONResponse:
    """Soumet un lot de comptages : JSON `{"lignes": [...], "motif"?}` ou CSV (`,` ou `;`).

    Le lot est validé en entier : à la moindre erreur rien n'est enregistré et la réponse 422
    liste **chaque** ligne fautive, au numéro de ligne d'un tableur (en-tête = ligne 1 ; en
    JSON, l'élément d'indice i est la ligne i + 2), avec une `suggestion` quand une valeur
    proche est reconnue. Une ligne pour une cellule déjà déclarée remplace la valeur précédente
    (correction) : le résumé d'import donne chaque ligne comprise, son statut
    (`nouvelle`, `modifiee`, `inchangee`) et l'ancienne valeur. `dry_run=true` : aperçu, rien
    n'est écrit et l'`Idempotency-Key` n'est pas consommée.
    """
    outcome = submit_batch(
        _context(request, caller, accept_language),
        body=body,
        content_type=request.headers.get("content-type"),
        dry_run=dry_run,
        idempotency_key=idempotency_key,
        motif=motif,
    )
    return _answer(outcome)


@router.post("/fichier", status_code=201, response_model=ResumeImport, responses=SUMMARY_RESPONSES)
def upload_file(
    caller: CurrentOrg,
    request: Request,
    fichier: Annotated[UploadFile, File(description="Fichier CSV ou XLSX, tel qu'exporté.")],
    dry_run: DryRun = False,
    motif: Motif = None,
    idempotency_key: IdempotencyKey = None,
    accept_language: AcceptLanguage = None,
) -> JSONResponse:
    """Envoie un fichier CSV ou XLSX tel qu'un tableur l'exporte, lu exactement comme par
    `observatoire charger` : encodages (UTF-8, cp1252), séparateurs `;` `,` tabulation, noms
    de départements, mois en français, « 1 234 », dispositions larges, dates XLSX.

    Tout ou rien : une seule ligne fautive et rien n'est enregistré (422, chaque erreur à sa
    ligne de fichier, en-tête = 1). `dry_run=true` donne l'aperçu sans rien écrire.
    """
    content = fichier.file.read()
    outcome = submit_file(
        _context(request, caller, accept_language),
        content=content,
        filename=fichier.filename,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
        motif=motif,
    )
    return _answer(outcome)


@router.get("", response_model=SoumissionsPublic, responses=problem_responses(401, 422, 429))
def list_own_submissions(
    caller: CurrentOrg,
    engine: EngineDep,
    page: Annotated[
        int, Query(ge=1, le=1_000_000, description="Numéro de page, à partir de 1.")
    ] = 1,
    par_page: Annotated[int, Query(ge=1, le=200, description="Soumissions par page.")] = 50,
) -> SoumissionsPublic:
    """Les soumissions de votre organisation, les plus récentes d'abord (actives et retirées)."""
    records, count = list_submissions(
        engine, caller.organisation_id, offset=(page - 1) * par_page, limit=par_page
    )
    return SoumissionsPublic(data=[_public(r) for r in records], count=count)


@router.get(
    "/{submission_id:entier}",
    response_model=SoumissionDetail,
    responses=problem_responses(401, 404, 429),
)
def read_own_submission(
    caller: CurrentOrg, engine: EngineDep, submission_id: SubmissionId
) -> SoumissionDetail:
    """Une soumission de votre organisation et ses lignes ; 404 si elle n'existe pas ou n'est pas
    la vôtre."""
    found = get_submission(engine, caller.organisation_id, submission_id)
    if found is None:
        raise _not_found(submission_id)
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


@router.post(
    "/{submission_id:entier}/retrait",
    response_model=Retrait,
    responses=problem_responses(400, 401, 404, 409, 422, 429),
)
def withdraw(
    caller: CurrentOrg, engine: EngineDep, submission_id: SubmissionId, demande: DemandeRetrait
) -> Retrait:
    """Retire un lot envoyé par erreur (historisé, tout ou rien) : chaque cellule qu'il a fixée
    et qui porte encore sa valeur reprend la valeur d'avant lui, ou redevient **non déclarée**
    (jamais zéro) s'il l'avait créée. 404 si la soumission n'est pas la vôtre."""
    try:
        done = withdraw_submission(
            engine, caller.organisation_id, submission_id, demande.motif, caller.key_prefix
        )
    except WithdrawalError as exc:
        if exc.slug == "introuvable":
            raise _not_found(submission_id) from exc
        raise Problem(409, str(exc), slug="deja-retiree") from exc
    return Retrait(
        soumission_id=done.submission_id,
        statut="retiree",
        retiree_le=done.retiree_le,
        motif=done.motif,
        restaurees=done.restaurees,
        effacees=done.effacees,
        conservees=done.conservees,
    )


def _not_found(submission_id: int) -> Problem:
    return Problem(404, f"Soumission {submission_id} introuvable.", slug="soumission-introuvable")


def _public(record: SubmissionRecord) -> SoumissionPublic:
    return SoumissionPublic(
        id=record.id,
        recue_le=record.recue_le,
        cle=record.key_prefix,
        source=record.source,
        fichier=record.fichier,
        lignes=record.lignes,
        nouvelles=record.creees,
        modifiees=record.modifiees,
        inchangees=record.inchangees,
        statut="retiree" if record.statut == "retiree" else "active",
        motif=record.motif,
        retiree_le=record.retiree_le,
        motif_retrait=record.motif_retrait,
    )
