"""The submission service behind `POST /v1/soumissions` and `POST /v1/soumissions/fichier`:
idempotency around parse → validate → store, then the import summary. Routes stay thin; the
core (`observatoire.submissions`, `observatoire.loading`) does the real work.

A dry run never touches the idempotency records: it writes nothing, so there is nothing to
replay, and the real send that follows may use the key.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from api.problems import Problem, problem_body
from api.settings import ApiSettings
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.loading.load import FileOrigin, LoadReport, load_path
from observatoire.loading.wide import LoadIssue
from observatoire.submissions import idempotency
from observatoire.submissions.keys import AuthenticatedKey
from observatoire.submissions.messages import in_language
from observatoire.submissions.parsing import ParseError, parse_batch
from observatoire.submissions.rows import RowError
from observatoire.submissions.store import store_submission
from observatoire.submissions.summary import ImportSummary, summarise
from observatoire.submissions.validation import ValidColumns, validate_rows

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


@dataclass(frozen=True)
class Context:
    """What every submission needs besides its content."""

    engine: Engine
    caller: AuthenticatedKey
    settings: ApiSettings
    territories: Territories
    taxonomy: Taxonomy
    lang: str = "fr"
    today: date | None = None

    def day(self) -> date:
        """Today on the associations' calendar."""
        return self.today or datetime.now(PARIS).date()


def media_type_of(content_type: str | None) -> str:
    """`text/csv; charset=utf-8` → `text/csv`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def submit_batch(
    context: Context,
    *,
    body: bytes,
    content_type: str | None,
    dry_run: bool,
    idempotency_key: str | None,
    motif: str | None = None,
) -> Outcome:
    """A JSON or CSV body: process it, replaying the first answer to a repeated key."""
    media_type = media_type_of(content_type)
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise Problem(
            415,
            "Envoyer du JSON (`application/json`) ou du CSV (`text/csv`).",
            slug="type-de-contenu",
        )
    reason = [motif] if motif else []
    fingerprint = idempotency.fingerprint(body, media_type or "application/json", "False", *reason)
    return _once(
        context,
        idempotency_key if not dry_run else None,
        fingerprint,
        lambda: _process_body(context, body, content_type, dry_run, motif),
    )


def submit_file(
    context: Context,
    *,
    content: bytes,
    filename: str | None,
    dry_run: bool,
    idempotency_key: str | None,
    motif: str | None = None,
) -> Outcome:
    """An uploaded CSV or XLSX file, read by the same loader as `observatoire charger`."""
    # The fingerprint is the file, not the multipart body, whose boundary changes per send.
    fingerprint = idempotency.fingerprint(content, "fichier", filename or "", motif or "")
    return _once(
        context,
        idempotency_key if not dry_run else None,
        fingerprint,
        lambda: _process_file(context, content, filename, dry_run, motif),
    )


def _once(
    context: Context, key: str | None, fingerprint: str, process: Callable[[], Outcome]
) -> Outcome:
    if key is None:
        return process()
    engine, organisation_id = context.engine, context.caller.organisation_id
    claim = idempotency.claim(
        engine,
        organisation_id,
        key,
        fingerprint,
        stale_after_s=context.settings.idempotency_stale_after_s,
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


def _process_body(
    context: Context, body: bytes, content_type: str | None, dry_run: bool, motif: str | None
) -> Outcome:
    try:
        raw_rows, given_motif = parse_batch(body, content_type)
    except ParseError as exc:
        detail = "Le corps de la requête n'est pas un lot lisible."
        return _invalid(context, detail, [_error(e, context.lang) for e in exc.errors])
    motif = motif or given_motif
    result = validate_rows(
        raw_rows,
        territories=context.territories,
        taxonomy=context.taxonomy,
        settings=context.settings,
        today=context.day(),
    )
    if not result.ok:
        return _refused(context, [_error(e, context.lang) for e in result.errors])
    batch = ValidColumns.from_rows(result.rows)
    submission_id, received = None, datetime.now(UTC)
    if not dry_run:
        stored = store_submission(
            context.engine,
            context.caller.organisation_id,
            context.caller.key_prefix,
            result.rows,
            source="api",
            motif=motif,
        )
        submission_id, received = stored.id, stored.recue_le
    summary = _summarise(context, batch, submission_id)
    body_out = _summary_body(context, summary, dry_run, None, submission_id, received)
    return Outcome(200 if dry_run else 201, body_out)


def _process_file(
    context: Context, content: bytes, filename: str | None, dry_run: bool, motif: str | None
) -> Outcome:
    name = Path(filename).name[:255] if filename else None
    with tempfile.TemporaryDirectory(prefix="observatoire-envoi-") as folder:
        # openpyxl goes by the extension; the loader itself by the first bytes.
        path = Path(folder) / ("fichier.xlsx" if content.startswith(b"PK") else "fichier.csv")
        path.write_bytes(content)
        report = load_path(
            path,
            organisation_id=context.caller.organisation_id,
            engine=context.engine,
            settings=context.settings,
            dry_run=dry_run,
            today=context.day(),
            origin=FileOrigin(
                fichier=name,
                key_prefix=context.caller.key_prefix,
                motif=motif,
                max_rows=context.settings.api_file_max_rows,
            ),
        )
    if not report.ok:
        return _file_refused(context, report)
    assert report.valid is not None and report.summary is not None
    submission_id = report.summary.id
    summary = _summarise(context, report.valid, submission_id)
    body = _summary_body(context, summary, dry_run, name, submission_id, report.summary.recue_le)
    body["format"] = report.format
    body["notes"] = report.notes
    return Outcome(200 if dry_run else 201, body)


def _summarise(context: Context, batch: ValidColumns, submission_id: int | None) -> ImportSummary:
    return summarise(
        context.engine,
        context.caller.organisation_id,
        batch,
        submission_id=submission_id,
        territories=context.territories,
        taxonomy=context.taxonomy,
        today=context.day(),
    )


def _summary_body(
    context: Context,
    summary: ImportSummary,
    dry_run: bool,
    fichier: str | None,
    submission_id: int | None,
    received: datetime,
) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "fichier": fichier,
        "soumission_id": submission_id,
        "recue_le": received.isoformat(),
        "format": "json",
        "lignes": summary.lignes,
        "resume": summary.resume(),
        "avertissements": [_error(w, context.lang) for w in summary.avertissements],
        "notes": [],
    }


def _file_refused(context: Context, report: LoadReport) -> Outcome:
    errors = [_issue(i, context.lang) for i in report.issues]
    if all(i.ligne is None and i.champ is None for i in report.issues):
        first = errors[0]["message"] if errors else ""
        detail = f"Fichier illisible : {first}. Rien n'a été enregistré."
        if context.lang == "en":
            detail = f"Unreadable file: {first}. Nothing was stored."
        body = problem_body(422, detail, slug="fichier-illisible", erreurs=errors)
        return Outcome(422, body)
    return _refused(context, errors)


def _refused(context: Context, errors: list[dict[str, Any]]) -> Outcome:
    rows = len({e["ligne"] for e in errors})
    detail = f"{len(errors)} erreur(s) sur {rows} ligne(s) : aucune ligne n'a été enregistrée."
    if context.lang == "en":
        detail = f"{len(errors)} error(s) on {rows} row(s): nothing was stored."
    return _invalid(context, detail, errors)


def _invalid(context: Context, detail: str, erreurs: list[dict[str, Any]]) -> Outcome:
    return Outcome(422, problem_body(422, detail, slug="donnees-invalides", erreurs=erreurs))


def _error(error: RowError, lang: str) -> dict[str, Any]:
    body = error.as_dict()
    body["message"] = body["raison"] = in_language(error.raison, lang)
    return body


def _issue(issue: LoadIssue, lang: str) -> dict[str, Any]:
    error = RowError(
        issue.ligne, issue.champ, issue.valeur, issue.raison, issue.suggestion, issue.colonne
    )
    return _error(error, lang)
