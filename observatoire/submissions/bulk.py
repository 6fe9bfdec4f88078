"""Bulk storage of a large validated batch (a loaded file), in one transaction.

Same results as `store.store_submission` (submission, its content, current values,
revisions, summary), column by column, each table written in one pass in the order
`store_submission` gives its rows ids. PostgreSQL: the batch's existing cells are read (and
locked, in cell order) in one query and compared in Python, then binary `COPY` goes straight
into the final tables (`bulk_postgres`). SQLite: one `executemany` into a temporary table,
compared and copied by SQL (`bulk_sqlite`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import repeat
from typing import Any, Literal

from sqlalchemy import Table, bindparam, insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, SubmissionContent
from observatoire.submissions import bulk_postgres, bulk_sqlite
from observatoire.submissions.cells import Cell, cell_order
from observatoire.submissions.content import encode_lines
from observatoire.submissions.store import SubmissionSummary, in_write_transaction
from observatoire.submissions.validation import ValidColumns, ValidRow

# progress(done): rows of the batch stored so far by the current attempt, out of len(batch).
# A retried transaction starts over from nothing stored, so `done` goes back to 0 first.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class _Plan:
    """What the batch does to each cell; row indices in cell order (every writer's order)."""

    created: list[int]
    changed: list[int]
    changed_ids: list[int]  # the current_count id of each changed row
    revised: list[int]  # created or changed
    revised_old: list[int | None]  # the value each revised row replaces


def bulk_store_submission(
    engine: Engine,
    organisation_id: int,
    key_prefix: str | None,
    rows: Sequence[ValidRow] | ValidColumns,
    *,
    source: Literal["api", "fichier", "demo"] = "fichier",
    dry_run: bool = False,
    progress: Progress | None = None,
    fichier: str | None = None,
    motif: str | None = None,
) -> SubmissionSummary:
    """Store a validated batch of any size like `store_submission` (dry run: count only);
    `progress` gets the rows stored so far (back to 0 when the transaction is retried)."""
    batch = rows if isinstance(rows, ValidColumns) else ValidColumns.from_rows(rows)
    received = datetime.now(UTC)
    if dry_run:
        with read_session(engine) as session:  # closed without commit: nothing stays
            created, changed = _classify(session, organisation_id, batch, lock=False)[:2]
        return _summary(None, received, batch, created, changed)
    content = encode_lines(batch)
    return in_write_transaction(
        engine,
        lambda session: _bulk_store(
            session,
            organisation_id,
            key_prefix,
            batch,
            content,
            {"source": source, "fichier": fichier, "motif": motif},
            received,
            progress,
        ),
    )


def _summary(
    submission_id: int | None, received: datetime, batch: ValidColumns, created: int, changed: int
) -> SubmissionSummary:
    unchanged = len(batch) - created - changed
    return SubmissionSummary(submission_id, received, len(batch), created, changed, unchanged)


def _classify(
    session: Session, organisation_id: int, batch: ValidColumns, *, lock: bool
) -> tuple[int, int, _Plan | None]:
    """(created, changed, the PostgreSQL plan); on SQLite the batch is staged for writing."""
    if session.get_bind().dialect.name != "postgresql":
        return (*bulk_sqlite.stage(session, organisation_id, _columns(batch)[1:]), None)
    plan = _plan(session, organisation_id, batch, lock=lock)
    return len(plan.created), len(plan.changed), plan


def _plan(session: Session, organisation_id: int, batch: ValidColumns, *, lock: bool) -> _Plan:
    """Read (and lock) the batch's existing cells, then sort its rows into created/changed."""
    current = _current_cells(session, organisation_id, batch, lock=lock)
    order = cell_order(batch.cells)
    if not current:  # a first load: every cell is new
        return _Plan(order, [], [], order, [None] * len(order))
    cells = zip(batch.departement, batch.mois, batch.type_incident, strict=True)
    found = list(map(current.get, cells))
    plan = _Plan([], [], [], [], [])
    nombre = batch.nombre
    for i in order:
        old = found[i]
        if old is None:
            plan.created.append(i)
        elif old[1] != nombre[i]:
            plan.changed.append(i)
            plan.changed_ids.append(old[0])
        else:
            continue
        plan.revised.append(i)
        plan.revised_old.append(old[1] if old else None)
    return plan


def _current_cells(
    session: Session, organisation_id: int, batch: ValidColumns, *, lock: bool
) -> dict[Cell, tuple[int, int]]:
    """(id, nombre) of the organisation's cells in the batch's months × départements, locked
    in cell order like `store_submission` does (so that they queue, not deadlock). Read
    through the driver: a million rows cost half as much as through Core."""
    driver = session.connection().connection.driver_connection
    months, departements = sorted(set(batch.mois)), sorted(set(batch.departement))
    rows = bulk_postgres.current_cells(driver, organisation_id, months, departements, lock)
    return {(dep, mois, kind): (cell_id, n) for cell_id, dep, mois, kind, n in rows}


def _bulk_store(
    session: Session,
    organisation_id: int,
    key_prefix: str | None,
    batch: ValidColumns,
    content: bytes,
    origin: dict[str, str | None],
    received: datetime,
    progress: Progress | None,
) -> SubmissionSummary:
    if progress:
        progress(0)  # a retried attempt starts from nothing: the rollback undid the last one
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        bulk_postgres.raise_work_mem(session)
    created, changed, plan = _classify(session, organisation_id, batch, lock=True)
    summary = _summary(None, received, batch, created, changed)
    submission_id = session.execute(
        text(
            "INSERT INTO submission (organisation_id, key_prefix, source, fichier, motif, statut, "
            "recue_le, lignes, creees, modifiees, inchangees) VALUES (:org, :kp, :source, "
            ":fichier, :motif, 'active', :received, :n, :c, :m, :u) RETURNING id"
        ).bindparams(bindparam("received", type_=_table().c.modifie_le.type)),
        {
            "org": organisation_id,
            "kp": key_prefix,
            **origin,
            "received": received,
            "n": summary.lignes,
            "c": summary.creees,
            "m": summary.modifiees,
            "u": summary.inchangees,
        },
    ).scalar_one()
    session.execute(
        insert(SubmissionContent.__table__),  # type: ignore[attr-defined]
        {"submission_id": submission_id, "contenu": content},
    )
    stamp = _bound_time(session, received)
    work = 2 * created + changed  # rows to write: revisions, new cells
    advance = _progress_share(progress, len(batch), work)
    if plan is not None:
        _write_postgres(
            session, organisation_id, submission_id, key_prefix, stamp, batch, plan, advance
        )
        advance(0)  # with nothing to write, still reports the batch done
    else:
        bulk_sqlite.write_staged(session, organisation_id, submission_id, key_prefix, stamp)
        advance(work)
    return replace(summary, id=submission_id)


def _write_postgres(
    session: Session,
    organisation_id: int,
    submission_id: int,
    key_prefix: str | None,
    stamp: Any,
    batch: ValidColumns,
    plan: _Plan,
    advance: Progress,
) -> None:
    """Binary COPY straight into each table, foreign keys checked once for the batch."""
    driver = session.connection().connection.driver_connection
    bulk_postgres.skip_foreign_key_triggers(session, organisation_id)
    sid, org, kp = repeat(submission_id), repeat(organisation_id), repeat(key_prefix)
    if plan.changed:
        values = _take(batch.nombre, plan.changed)
        bulk_postgres.update_cells(driver, plan.changed_ids, values, submission_id, stamp)
    revised = [_take(column, plan.revised) for column in _columns(batch)[1:]]
    bulk_postgres.copy_rows(
        driver,
        "revision",
        "organisation_id, submission_id, departement, mois, type_incident, "
        "ancienne_valeur, nouvelle_valeur, key_prefix, cree_le",
        zip(org, sid, *revised[:3], plan.revised_old, revised[3], kp, repeat(stamp)),
        advance,
    )
    # Without changed cells the revised rows are the created ones (always on a first load).
    created = revised if not plan.changed else [_take(c, plan.created) for c in _columns(batch)[1:]]
    bulk_postgres.copy_rows(
        driver,
        "current_count",
        "organisation_id, departement, mois, type_incident, nombre, submission_id, modifie_le",
        zip(org, *created, sid, repeat(stamp)),
        advance,
    )


def _bound_time(session: Session, received: datetime) -> Any:
    """`received` as the ORM binds it (SQLite stores text), so both paths read back alike."""
    dialect = session.get_bind().dialect
    process = _table().c.modifie_le.type.dialect_impl(dialect).bind_processor(dialect)
    return process(received) if process else received


def _columns(batch: ValidColumns) -> tuple[list[Any], ...]:
    return (batch.ligne, batch.departement, batch.mois, batch.type_incident, batch.nombre)


def _take(column: list[Any], indices: Sequence[int]) -> list[Any]:
    return list(map(column.__getitem__, indices))


def _progress_share(progress: Progress | None, total: int, work: int) -> Callable[[int], None]:
    """Report `total` rows over `work` units of writing (of one attempt), as they get done."""
    done = reported = 0

    def advance(units: int) -> None:
        nonlocal done, reported
        done += units
        share = total if done >= work else total * done // max(work, 1)
        if progress and share > reported:
            progress(share)
            reported = share

    return advance


def _table() -> Table:
    return CurrentCount.__table__  # type: ignore[attr-defined,no-any-return]
