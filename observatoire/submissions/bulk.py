"""Bulk storage of a large validated batch (a loaded file), in one transaction.

Same results as `store.store_submission` (submission, submission lines, current values,
revisions, summary), but set-based: rows go to a temporary table (PostgreSQL `COPY`, SQLite
`executemany`), then a few INSERT … SELECT / UPDATE … FROM statements do the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import DateTime, Engine, bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from observatoire.store.db import write_session
from observatoire.submissions.store import RETRIES, RETRYABLE_SQLSTATES, SubmissionSummary
from observatoire.submissions.validation import ValidRow

Progress = Callable[[int], None]
_COLUMNS = "ligne, departement, mois, type_incident, nombre"
# Cell order of `store_submission` (Python string order): byte order on both backends.
_CELL_ORDER = {
    "postgresql": 'departement COLLATE "C", mois COLLATE "C", type_incident COLLATE "C"',
    "sqlite": "departement, mois, type_incident",
}


def bulk_store_submission(
    engine: Engine,
    organisation_id: int,
    key_prefix: str | None,
    rows: Sequence[ValidRow],
    *,
    source: Literal["api", "fichier"] = "fichier",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> SubmissionSummary:
    """Store a validated batch of any size like `store_submission` (dry run: count only)."""
    received = datetime.now(UTC)
    for attempt in range(RETRIES):
        try:
            with write_session(engine) as session:
                summary = _bulk_store(
                    session, organisation_id, key_prefix, rows, source, received, dry_run, progress
                )
                if dry_run:
                    session.rollback()
                return summary
        except DBAPIError as exc:
            if attempt == RETRIES - 1 or getattr(exc.orig, "sqlstate", None) not in (
                RETRYABLE_SQLSTATES
            ):
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _fill_temp_table(session: Session, rows: Sequence[ValidRow], progress: Progress | None) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            text(
                "CREATE TEMP TABLE load_rows (ligne integer, departement text, mois text, "
                "type_incident text, nombre integer) ON COMMIT DROP"
            )
        )
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY load_rows ({_COLUMNS}) FROM STDIN") as copy:
            for i, r in enumerate(rows, start=1):
                copy.write_row((r.ligne, r.departement, r.mois, r.type_incident, r.nombre))
                if progress and i % 50_000 == 0:
                    progress(50_000)
    else:
        session.execute(text("DROP TABLE IF EXISTS temp.load_rows"))
        session.execute(
            text(
                "CREATE TEMP TABLE load_rows (ligne INTEGER, departement TEXT, mois TEXT, "
                "type_incident TEXT, nombre INTEGER)"
            )
        )
        cursor = session.connection().connection.driver_connection.cursor()
        step = 50_000
        for start in range(0, len(rows), step):
            cursor.executemany(
                f"INSERT INTO load_rows ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",  # noqa: S608 - constant SQL fragments only
                [
                    (r.ligne, r.departement, r.mois, r.type_incident, r.nombre)
                    for r in rows[start : start + step]
                ],
            )
            if progress:
                progress(min(step, len(rows) - start))
        cursor.close()
    if dialect == "postgresql":
        session.execute(text("ANALYZE load_rows"))  # temp tables are never auto-analysed
        if progress:
            progress(len(rows) % 50_000)


def _bulk_store(
    session: Session,
    organisation_id: int,
    key_prefix: str | None,
    rows: Sequence[ValidRow],
    source: str,
    received: datetime,
    dry_run: bool,
    progress: Progress | None,
) -> SubmissionSummary:
    dialect = session.get_bind().dialect.name
    order = _CELL_ORDER[dialect]
    _fill_temp_table(session, rows, progress)
    lock = " ORDER BY c.id FOR UPDATE OF c" if dialect == "postgresql" else ""
    session.execute(text("DROP TABLE IF EXISTS load_cells"))
    session.execute(
        text(
            "CREATE TEMP TABLE load_cells AS SELECT l.departement, l.mois, l.type_incident, "
            "l.nombre, c.id AS cell_id, c.nombre AS ancienne FROM load_rows l "
            "LEFT JOIN current_count c ON c.organisation_id = :org "
            "AND c.departement = l.departement AND c.mois = l.mois "
            "AND c.type_incident = l.type_incident"
        ),
        {"org": organisation_id},
    )
    if lock:
        session.execute(
            text("SELECT c.id FROM current_count c JOIN load_cells l ON c.id = l.cell_id" + lock)  # noqa: S608 - constant SQL fragments only
        )
    created, changed = session.execute(
        text(
            "SELECT COALESCE(SUM(CASE WHEN cell_id IS NULL THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN ancienne <> nombre THEN 1 ELSE 0 END), 0) FROM load_cells"
        )
    ).one()
    created, changed = int(created), int(changed)
    unchanged = len(rows) - created - changed
    if dry_run:
        _drop_temp_tables(session, dialect)
        return SubmissionSummary(None, received, len(rows), created, changed, unchanged)
    stamp = bindparam("received", value=received, type_=DateTime())
    submission_id = session.execute(
        text(
            "INSERT INTO submission (organisation_id, key_prefix, source, recue_le, lignes, "
            "creees, modifiees, inchangees) VALUES (:org, :kp, :source, :received, :n, :c, :m, :u)"
            " RETURNING id"
        ).bindparams(stamp),
        {
            "org": organisation_id,
            "kp": key_prefix,
            "source": source,
            "n": len(rows),
            "c": created,
            "m": changed,
            "u": unchanged,
        },
    ).scalar_one()
    params = {"org": organisation_id, "sid": submission_id, "kp": key_prefix}
    session.execute(
        text(
            "INSERT INTO submission_line (submission_id, ligne, departement, mois, "  # noqa: S608 - constant SQL fragments only
            f"type_incident, nombre) SELECT :sid, {_COLUMNS} FROM load_rows ORDER BY ligne"
        ),
        params,
    )
    session.execute(
        text(
            "INSERT INTO revision (organisation_id, submission_id, departement, mois, "  # noqa: S608 - constant SQL fragments only
            "type_incident, ancienne_valeur, nouvelle_valeur, key_prefix, cree_le) "
            "SELECT :org, :sid, departement, mois, type_incident, ancienne, nombre, :kp, "
            ":received FROM load_cells WHERE cell_id IS NULL OR ancienne <> nombre "
            f"ORDER BY {order}"
        ).bindparams(stamp),
        params,
    )
    session.execute(
        text(
            "UPDATE current_count SET nombre = l.nombre, submission_id = :sid, "
            "modifie_le = :received FROM load_cells l "
            "WHERE current_count.id = l.cell_id AND l.ancienne <> l.nombre"
        ).bindparams(stamp),
        params,
    )
    session.execute(
        text(
            "INSERT INTO current_count (organisation_id, departement, mois, type_incident, "  # noqa: S608 - constant SQL fragments only
            "nombre, submission_id, modifie_le) SELECT :org, departement, mois, type_incident, "
            f"nombre, :sid, :received FROM load_cells WHERE cell_id IS NULL ORDER BY {order}"
        ).bindparams(stamp),
        params,
    )
    _drop_temp_tables(session, dialect)
    return SubmissionSummary(submission_id, received, len(rows), created, changed, unchanged)


def _drop_temp_tables(session: Session, dialect: str) -> None:
    # PostgreSQL drops them at commit (ON COMMIT DROP would not cover load_cells).
    session.execute(text("DROP TABLE IF EXISTS load_cells"))
    session.execute(text("DROP TABLE IF EXISTS load_rows"))
