"""Withdraw a batch sent by mistake: the cells it set go back to what they held before it, or
to « not reported » (no value, never zero) where it was the first. Audited, whole or nothing.

A cell changed since by a later batch keeps that later value: the withdrawal only undoes what
the batch itself still holds. The value restored is the one the batch's revision recorded as
replaced, and the cell is credited to the submission that had set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlmodel import Session, col

from observatoire.store.models import CurrentCount, Revision, Submission
from observatoire.submissions.store import in_write_transaction

Cell = tuple[str, str, str]
WITHDRAWAL = "retrait"


class WithdrawalError(LookupError):
    """The submission cannot be withdrawn; `slug` says why (`introuvable`, `deja-retiree`)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(message)
        self.slug = slug


@dataclass(frozen=True)
class Withdrawal:
    """What a withdrawal did."""

    submission_id: int
    retiree_le: datetime
    motif: str
    restaurees: int
    effacees: int
    conservees: int


def withdraw_submission(
    engine: Engine, organisation_id: int, submission_id: int, motif: str, key_prefix: str | None
) -> Withdrawal:
    """Withdraw one of the organisation's submissions (another's is « introuvable »)."""
    return in_write_transaction(
        engine,
        lambda session: _withdraw(session, organisation_id, submission_id, motif, key_prefix),
    )


def _withdraw(
    session: Session, organisation_id: int, submission_id: int, motif: str, key_prefix: str | None
) -> Withdrawal:
    submission = session.execute(
        select(Submission)
        .where(Submission.id == submission_id, Submission.organisation_id == organisation_id)
        .with_for_update()
    ).scalar_one_or_none()
    if submission is None:
        raise WithdrawalError("introuvable", f"Soumission {submission_id} introuvable.")
    if submission.statut == "retiree":
        raise WithdrawalError("deja-retiree", f"La soumission {submission_id} est déjà retirée.")
    now = datetime.now(UTC)
    set_by_it = {
        (r.departement, r.mois, r.type_incident): r
        for r in session.execute(
            select(Revision).where(
                Revision.submission_id == submission_id,
                col(Revision.action).is_(None),
            )
        ).scalars()
    }
    held = _still_held(session, organisation_id, submission_id, set(set_by_it))
    previous_setter = _previous_setters(session, organisation_id, set_by_it, held)
    revisions, erased, restored = [], 0, 0
    for cell, (cell_id, current) in sorted(held.items()):
        old = set_by_it[cell].ancienne_valeur
        if old is None:
            session.execute(delete(CurrentCount).where(col(CurrentCount.id) == cell_id))
            erased += 1
        else:
            session.execute(
                update(CurrentCount)
                .where(col(CurrentCount.id) == cell_id)
                .values(nombre=old, submission_id=previous_setter[cell], modifie_le=now)
            )
            restored += 1
        revisions.append(
            {
                "organisation_id": organisation_id,
                "submission_id": submission_id,
                "departement": cell[0],
                "mois": cell[1],
                "type_incident": cell[2],
                "ancienne_valeur": current,
                "nouvelle_valeur": old,
                "key_prefix": key_prefix,
                "cree_le": now,
                "action": WITHDRAWAL,
            }
        )
    if revisions:
        session.execute(insert(Revision.__table__), revisions)  # type: ignore[attr-defined]
    submission.statut = "retiree"
    submission.retiree_le = now
    submission.motif_retrait = motif
    session.add(submission)
    session.flush()
    conserved = len(set_by_it) - len(held)
    return Withdrawal(submission_id, now, motif, restored, erased, conserved)


def _still_held(
    session: Session, organisation_id: int, submission_id: int, cells: set[Cell]
) -> dict[Cell, tuple[int, int]]:
    """(id, nombre) of the cells whose current value is still this submission's, locked."""
    if not cells:
        return {}
    rows = session.execute(
        select(
            CurrentCount.id,
            CurrentCount.departement,
            CurrentCount.mois,
            CurrentCount.type_incident,
            CurrentCount.nombre,
        )
        .where(
            CurrentCount.organisation_id == organisation_id,
            CurrentCount.submission_id == submission_id,
        )
        .order_by(col(CurrentCount.id))
        .with_for_update()
    ).all()
    return {(d, m, t): (i, n) for i, d, m, t, n in rows if (d, m, t) in cells}


def _previous_setters(
    session: Session, organisation_id: int, set_by_it: dict[Cell, Revision], held: dict
) -> dict[Cell, int]:
    """For each held cell the batch changed, the submission that had set the value it replaced:
    the latest earlier revision of that cell."""
    changed = {cell for cell in held if set_by_it[cell].ancienne_valeur is not None}
    if not changed:
        return {}
    candidates = session.execute(
        select(
            Revision.id,
            Revision.departement,
            Revision.mois,
            Revision.type_incident,
            Revision.submission_id,
        )
        .where(
            Revision.organisation_id == organisation_id,
            col(Revision.mois).in_(sorted({c[1] for c in changed})),
            col(Revision.departement).in_(sorted({c[0] for c in changed})),
            col(Revision.id) < max(set_by_it[cell].id or 0 for cell in changed),
        )
        .order_by(col(Revision.id))
    ).all()
    setters: dict[Cell, int] = {}
    for rev_id, dep, mois, kind, setter in candidates:
        cell = (dep, mois, kind)
        if cell in changed and rev_id < (set_by_it[cell].id or 0):
            setters[cell] = setter
    return setters
