"""Read an organisation's own submissions (never another organisation's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import col

from observatoire.store.db import read_session
from observatoire.store.models import Submission, SubmissionContent
from observatoire.submissions.content import decode_lines
from observatoire.submissions.validation import ValidRow


@dataclass(frozen=True)
class SubmissionRecord:
    """A stored submission and its import summary."""

    id: int
    recue_le: datetime
    source: str
    key_prefix: str | None
    lignes: int
    creees: int
    modifiees: int
    inchangees: int
    fichier: str | None = None
    motif: str | None = None
    statut: str = "active"
    retiree_le: datetime | None = None
    motif_retrait: str | None = None


def list_submissions(
    engine: Engine, organisation_id: int, *, offset: int = 0, limit: int = 50
) -> tuple[list[SubmissionRecord], int]:
    """One page of the organisation's submissions, newest first, and their total count."""
    own = Submission.organisation_id == organisation_id
    with read_session(engine) as session:
        count = session.execute(
            select(func.count()).select_from(Submission).where(own)
        ).scalar_one()
        page = session.execute(
            select(Submission).where(own).order_by(Submission.id.desc()).offset(offset).limit(limit)  # type: ignore[union-attr]
        ).scalars()
        return [_record(s) for s in page], count


def get_submission(
    engine: Engine, organisation_id: int, submission_id: int
) -> tuple[SubmissionRecord, list[ValidRow]] | None:
    """A submission of this organisation with its rows; None if absent or someone else's."""
    with read_session(engine) as session:
        submission = session.execute(
            select(Submission).where(
                Submission.id == submission_id, Submission.organisation_id == organisation_id
            )
        ).scalar_one_or_none()
        if submission is None:
            return None
        content = session.execute(
            select(col(SubmissionContent.contenu)).where(
                col(SubmissionContent.submission_id) == submission_id
            )
        ).scalar_one_or_none()
        rows = decode_lines(content) if content is not None else []
        rows.sort(key=lambda row: row.ligne)  # stable: a wide line's values keep their order
        return _record(submission), rows


def _record(s: Submission) -> SubmissionRecord:
    assert s.id is not None
    return SubmissionRecord(
        s.id,
        s.recue_le,
        s.source,
        s.key_prefix,
        s.lignes,
        s.creees,
        s.modifiees,
        s.inchangees,
        s.fichier,
        s.motif,
        s.statut,
        s.retiree_le,
        s.motif_retrait,
    )
