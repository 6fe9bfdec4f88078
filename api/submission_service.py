"""The submission service behind `POST /v1/soumissions`: idempotency around parse → validate →
store. Routes stay thin; the core (`observatoire.submissions`) does the real work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from api.problems import Problem, problem_body
from api.settings import ApiSettings
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.submissions import idempotency
from observatoire.submissions.keys import AuthenticatedKey
from observatoire.submissions.parsing import ParseError, parse_body
from observatoire.submissions.store import store_submission
from observatoire.submissions.validation import validate_rows

ACCEPTED_MEDIA_TYPES = {"", "application/json", "text/csv", "application/csv"}
PARIS = ZoneInfo("Europe/Paris")  # "future month" is judged on the associations' calendar


@dataclass(frozen=True)
class Outcome:
    """Status and JSON body to answer; `replayed` when it comes from an idempotency record."""

    status_code: int
    body: Any
    replayed: bool = False

    @property
    def is_problem(self) -> bool:
        """Whether the body is problem details."""
        return self.status_code >= 400


def media_type_of(content_type: str | None) -> str:
    """`text/csv; charset=utf-8` → `text/csv`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def submit_batch(
    *,
    engine: Engine,
    caller: AuthenticatedKey,
    body: bytes,
    content_type: str | None,
    dry_run: bool,
    idempotency_key: str | None,
    settings: ApiSettings,
    territories: Territories,
    taxonomy: Taxonomy,
    today: date | None = None,
) -> Outcome:
    """Process one submission request, replaying the first answer to a repeated key."""
    media_type = media_type_of(content_type)
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise Problem(
            415,
            "Envoyer du JSON (`application/json`) ou du CSV (`text/csv`).",
            slug="type-de-contenu",
        )
    today = today or datetime.now(PARIS).date()

    def process() -> Outcome:
        return _process(
            engine, caller, body, content_type, dry_run, settings, territories, taxonomy, today
        )

    if idempotency_key is None:
        return process()
    request_fingerprint = idempotency.fingerprint(
        body, media_type or "application/json", str(dry_run)
    )
    claim = idempotency.claim(
        engine,
        caller.organisation_id,
        idempotency_key,
        request_fingerprint,
        stale_after_s=settings.idempotency_stale_after_s,
    )
    if claim.state == "replay":
        return Outcome(claim.status_code or 200, claim.body, replayed=True)
    if claim.state == "in_flight":
        raise Problem(
            409,
            "Une requête avec cette Idempotency-Key est encore en cours : réessayer plus tard.",
            slug="idempotence-en-cours",
        )
    if claim.state == "mismatch":
        raise Problem(
            422,
            "Cette Idempotency-Key a déjà servi pour une autre requête : en choisir une nouvelle.",
            slug="idempotence-autre-requete",
        )
    assert claim.record_id is not None
    try:
        outcome = process()
    except BaseException:
        idempotency.release(engine, claim.record_id)
        raise
    idempotency.complete(engine, claim.record_id, outcome.status_code, outcome.body)
    return outcome


def _process(
    engine: Engine,
    caller: AuthenticatedKey,
    body: bytes,
    content_type: str | None,
    dry_run: bool,
    settings: ApiSettings,
    territories: Territories,
    taxonomy: Taxonomy,
    today: date,
) -> Outcome:
    try:
        raw_rows = parse_body(body, content_type)
    except ParseError as exc:
        detail = "Le corps de la requête n'est pas un lot lisible."
        return _invalid(detail, [e.as_dict() for e in exc.errors])
    result = validate_rows(
        raw_rows, territories=territories, taxonomy=taxonomy, settings=settings, today=today
    )
    if not result.ok:
        detail = (
            f"{len(result.errors)} erreur(s) : aucune ligne n'a été enregistrée. "
            "`ligne` compte les lignes de données à partir de 1 (en-tête CSV exclu)."
        )
        return _invalid(detail, [e.as_dict() for e in result.errors])
    summary = store_submission(
        engine,
        caller.organisation_id,
        caller.key_prefix,
        result.rows,
        source="api",
        dry_run=dry_run,
    )
    return Outcome(200 if dry_run else 201, summary.as_dict())


def _invalid(detail: str, erreurs: list[dict[str, Any]]) -> Outcome:
    return Outcome(422, problem_body(422, detail, slug="donnees-invalides", erreurs=erreurs))
