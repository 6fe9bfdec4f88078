"""The one write path of submissions: a validated batch is stored whole or not at all.

Set-based: rows are written with executemany, current values read in chunks; the submitted
rows themselves are kept as one compressed value (`content`). Concurrency: on SQLite
`write_session` takes the single writer lock up front (BEGIN IMMEDIATE); on PostgreSQL new
cells are inserted with ON CONFLICT DO NOTHING and existing ones locked with SELECT … FOR
UPDATE, both in cell order, so that two batches touching the same cell queue instead of
failing, and each revision records the value it really replaced.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, Table, bindparam, collate, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from observatoire.store.db import read_session, write_session
from observatoire.store.models import CurrentCount, Revision, Submission, SubmissionContent
from observatoire.submissions.content import encode_lines
from observatoire.submissions.validation import ValidRow

Cell = tuple[str, str, str]
T = TypeVar("T")
R = TypeVar("R")
CHUNK = 500  # cells per IN (…) list: 1,500 parameters, far below every backend's limit
RETRIES = 5
# PostgreSQL: deadlock_detected, serialization_failure, unique_violation (a cell created
# between our two statements): the whole batch is retried from scratch.
RETRYABLE_SQLSTATES = {"40P01", "40001", "23505"}


@dataclass(frozen=True)
class SubmissionSummary:
    """What a batch did (DHIS2-like import summary); `id` is None for a dry run."""

    id: int | None
    recue_le: datetime
    lignes: int
    creees: int
    modifiees: int
    inchangees: int

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (`recue_le` in ISO 8601)."""
        return {
            "id": self.id,
            "recue_le": self.recue_le.isoformat(),
            "lignes": self.lignes,
            "creees": self.creees,
            "modifiees": self.modifiees,
            "inchangees": self.inchangees,
        }


def store_submission(
    engine: Engine,
    organisation_id: int,
    key_prefix: str | None,
    rows: Sequence[ValidRow],
    *,
    source: Literal["api", "fichier"] = "api",
    dry_run: bool = False,
    fichier: str | None = None,
    motif: str | None = None,
) -> SubmissionSummary:
    """Store a validated batch in one transaction (or, dry run, only count what it would do)."""
    received = datetime.now(UTC)
    ordered = sorted(rows, key=lambda r: r.cell)  # one lock order for every writer
    if dry_run:
        with read_session(engine) as session:
            current = _current_values(session, organisation_id, [r.cell for r in ordered])
        created = sum(1 for r in ordered if r.cell not in current)
        changed = sum(1 for r in ordered if r.cell in current and current[r.cell][1] != r.nombre)
        return SubmissionSummary(
            None, received, len(rows), created, changed, len(rows) - created - changed
        )
    content = encode_lines(rows)
    return in_write_transaction(
        engine,
        lambda session: _store(
            session,
            Submission(
                organisation_id=organisation_id,
                key_prefix=key_prefix,
                source=source,
                recue_le=received,
                fichier=fichier,
                motif=motif,
            ),
            rows,
            content,
            ordered,
        ),
    )


def in_write_transaction(engine: Engine, work: Callable[[Session], R]) -> R:
    """Run `work` in one write transaction, again (from scratch) after a deadlock,
    serialisation failure or a concurrent insert of the same cell."""
    for attempt in range(RETRIES):
        try:
            with write_session(engine) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == RETRIES - 1 or _sqlstate(exc) not in RETRYABLE_SQLSTATES:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _store(
    session: Session,
    submission: Submission,
    rows: Sequence[ValidRow],
    content: bytes,
    ordered: list[ValidRow],
) -> SubmissionSummary:
    organisation_id, key_prefix = submission.organisation_id, submission.key_prefix
    received = submission.recue_le
    session.add(submission)
    session.flush()
    submission_id = submission.id
    assert submission_id is not None
    session.execute(
        insert(_table(SubmissionContent)),
        {"submission_id": submission_id, "contenu": content},
    )
    created = _insert_new_cells(session, organisation_id, submission_id, ordered, received)
    others = [r for r in ordered if r.cell not in created]
    current = _current_values(session, organisation_id, [r.cell for r in others], lock=True)
    changed = [r for r in others if current[r.cell][1] != r.nombre]
    counts = _table(CurrentCount)
    if changed:
        session.execute(
            update(counts)
            .where(counts.c.id == bindparam("cell_id"))
            .values(nombre=bindparam("n"), submission_id=submission_id, modifie_le=received),
            [{"cell_id": current[r.cell][0], "n": r.nombre} for r in changed],
        )
    revisions = [(r, None) for r in ordered if r.cell in created]
    revisions += [(r, current[r.cell][1]) for r in changed]
    if revisions:
        session.execute(
            insert(_table(Revision)),
            [
                {
                    "organisation_id": organisation_id,
                    "submission_id": submission_id,
                    "departement": r.departement,
                    "mois": r.mois,
                    "type_incident": r.type_incident,
                    "ancienne_valeur": old,
                    "nouvelle_valeur": r.nombre,
                    "key_prefix": key_prefix,
                    "cree_le": received,
                }
                for r, old in sorted(revisions, key=lambda pair: pair[0].cell)
            ],
        )
    submission.lignes = len(rows)
    submission.creees = len(created)
    submission.modifiees = len(changed)
    submission.inchangees = len(rows) - len(created) - len(changed)
    session.add(submission)
    session.flush()
    return SubmissionSummary(
        submission_id,
        received,
        submission.lignes,
        submission.creees,
        submission.modifiees,
        submission.inchangees,
    )


def _insert_new_cells(
    session: Session,
    organisation_id: int,
    submission_id: int,
    ordered: list[ValidRow],
    received: datetime,
) -> set[Cell]:
    """Insert the cells that do not exist yet; return those this batch created."""
    dialect = session.get_bind().dialect.name
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = _table(CurrentCount)
    # One compiled statement, executed as batched multi-row INSERTs ("insertmanyvalues").
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing(
            index_elements=["organisation_id", "departement", "mois", "type_incident"]
        )
        .returning(table.c.departement, table.c.mois, table.c.type_incident)
    )
    params = [
        {
            "organisation_id": organisation_id,
            "departement": r.departement,
            "mois": r.mois,
            "type_incident": r.type_incident,
            "nombre": r.nombre,
            "submission_id": submission_id,
            "modifie_le": received,
        }
        for r in ordered
    ]
    result = session.execute(statement, params)
    return {(dep, mois, type_incident) for dep, mois, type_incident in result.all()}


def _current_values(
    session: Session, organisation_id: int, cells: list[Cell], *, lock: bool = False
) -> dict[Cell, tuple[int, int]]:
    """(id, nombre) of the existing cells among `cells`, locked in cell order if asked."""
    if not cells:
        return {}
    # A batch spans few months and départements: reading that rectangle is one indexed query,
    # where a (departement, mois, type) IN list of thousands of row values is slow to plan.
    # Locking the rectangle is harmless: it only holds other batches of the same organisation.
    wanted = set(cells)
    query = (
        select(
            CurrentCount.id,
            CurrentCount.departement,
            CurrentCount.mois,
            CurrentCount.type_incident,
            CurrentCount.nombre,
        )
        .where(
            CurrentCount.organisation_id == organisation_id,
            CurrentCount.mois.in_(sorted({c[1] for c in wanted})),  # type: ignore[attr-defined]
            CurrentCount.departement.in_(sorted({c[0] for c in wanted})),  # type: ignore[attr-defined]
        )
        .order_by(*_cell_order(session))
    )
    if lock:
        query = query.with_for_update()
    found: dict[Cell, tuple[int, int]] = {}
    for cell_id, dep, mois, type_incident, nombre in session.execute(query).all():
        if (dep, mois, type_incident) in wanted:
            found[(dep, mois, type_incident)] = (cell_id, nombre)
    return found


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cell_order(session: Session) -> list[Any]:
    """Lock in Python string order (byte order) on every backend, as the bulk loader does."""
    columns = [CurrentCount.departement, CurrentCount.mois, CurrentCount.type_incident]
    if session.get_bind().dialect.name == "postgresql":
        return [collate(column, "C") for column in columns]
    return list(columns)


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)
