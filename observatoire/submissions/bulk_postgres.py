"""PostgreSQL side of the bulk path: binary COPY straight into the final tables, and foreign
keys checked once per batch instead of once per row when that is provably the same check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

import psycopg
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

BULK_TABLES = ("current_count", "revision")
# Every foreign key of BULK_TABLES, as (table, column, referenced table): each refers to the
# batch's organisation or to its submission, the two rows `skip_foreign_key_triggers` checks.
FOREIGN_KEYS = frozenset(
    {
        ("current_count", "organisation_id", "organisation"),
        ("current_count", "submission_id", "submission"),
        ("revision", "organisation_id", "organisation"),
        ("revision", "submission_id", "submission"),
    }
)
_COPY_TYPES = {
    "submission_id": "int4",
    "organisation_id": "int4",
    "departement": "varchar",
    "mois": "varchar",
    "type_incident": "varchar",
    "nombre": "int4",
    "ancienne_valeur": "int4",
    "nouvelle_valeur": "int4",
    "key_prefix": "varchar",
    "cree_le": "timestamptz",
    "modifie_le": "timestamptz",
}
PROGRESS_ROWS = 50_000  # rows between two progress reports
_TABLES_SQL = ", ".join(f"'{t}'::regclass" for t in BULK_TABLES)
# Sort memory of the bulk transaction: locking a million existing cells in cell order sorts
# them, which spilled to disk (~85 MB) with the server default of 4 MB.
WORK_MEM = "128MB"


def raise_work_mem(session: Session) -> None:
    """More sort memory for the rest of the transaction (`WORK_MEM`)."""
    session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))


@contextmanager
def driver_errors(statement: str) -> Iterator[None]:
    """Errors of statements sent through the driver as SQLAlchemy raises those it sends (e.g.
    a unique violation as `IntegrityError`): the retry loop of `in_write_transaction`, and
    callers, recognise them alike."""
    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def copy_rows(
    driver: Any,
    table: str,
    columns: str,
    rows: Iterable[tuple[Any, ...]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `table`, binary format.

    Rows are encoded here while a driver thread sends what is ready (`QueuedLibpqWriter`),
    so that encoding does not wait for the server to take the previous buffer. `progress`
    gets each chunk's row count once the next one is queued, the last once the server has
    accepted the COPY: a COPY that fails (e.g. on a unique constraint) never reports done."""
    names = [name.strip() for name in columns.split(",")]
    statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    rows = iter(rows)
    queued = 0  # rows of the last chunk, not reported yet
    with (
        driver_errors(statement),
        driver.cursor() as cursor,
        cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy,
    ):
        copy.set_types([_COPY_TYPES[name] for name in names])
        while chunk := list(islice(rows, PROGRESS_ROWS)):
            for row in chunk:
                copy.write_row(row)
            if progress and queued:
                progress(queued)
            queued = len(chunk)
    if progress and queued:
        progress(queued)


def current_cells(
    driver: Any, organisation_id: int, months: list[str], departements: list[str], lock: bool
) -> list[tuple[int, str, str, str, int]]:
    """(id, departement, mois, type_incident, nombre) of the organisation's cells in
    `months` × `departements`, in cell order (byte order, as Python sorts), locked if asked."""
    query = (
        "SELECT id, departement, mois, type_incident, nombre FROM current_count "
        "WHERE organisation_id = %s AND mois = ANY(%s) AND departement = ANY(%s) "
        'ORDER BY departement COLLATE "C", mois COLLATE "C", type_incident COLLATE "C"'
    )
    with driver_errors(query), driver.cursor() as cursor:
        cursor.execute(
            query + (" FOR UPDATE" if lock else ""), (organisation_id, months, departements)
        )
        return cursor.fetchall()  # type: ignore[no-any-return]


def update_cells(
    driver: Any, ids: list[int], values: list[int], submission_id: int, received: datetime
) -> None:
    """Set new values of existing cells in one statement."""
    statement = (
        "UPDATE current_count SET nombre = v.nombre, submission_id = %s, modifie_le = %s "
        "FROM unnest(%s::int4[], %s::int4[]) AS v(id, nombre) WHERE current_count.id = v.id"
    )
    with driver_errors(statement):
        driver.execute(statement, (submission_id, received, ids, values))


def skip_foreign_key_triggers(session: Session, organisation_id: int) -> bool:
    """Check the batch's foreign keys once, and skip their per-row triggers, when safe.

    PostgreSQL checks a foreign key with one trigger call per written row: for a 1,000,000-row
    file, millions of lookups that took most of the storage time. Every row the bulk path
    writes refers to the same two rows: the organisation, locked here FOR KEY SHARE exactly as
    each trigger call would lock it, and the submission, inserted by this very transaction.
    Checking those two once is the same guarantee, so the rest of the transaction runs with
    `session_replication_role = replica` (as `pg_restore --disable-triggers` does), provided
    that the bulk tables have exactly the foreign keys of FOREIGN_KEYS and no trigger or rule
    of their own (replica mode would skip those too), and that the role may set it (superuser,
    or `GRANT SET ON PARAMETER session_replication_role` on PostgreSQL 15+). Otherwise the
    triggers run as usual: slower, same result. Unique and NOT NULL constraints are unaffected.
    """
    foreign_keys = session.execute(
        text(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "  # noqa: S608 - constant SQL fragments only
            "cardinality(c.conkey) FROM pg_constraint c JOIN pg_attribute a "
            "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            f"WHERE c.contype = 'f' AND c.conrelid IN ({_TABLES_SQL})"
        )
    ).all()
    if any(width != 1 for *_, width in foreign_keys):
        return False
    if {(table, column, target) for table, column, target, _ in foreign_keys} != FOREIGN_KEYS:
        return False
    own_rules = session.execute(
        text(
            f"SELECT (SELECT count(*) FROM pg_trigger WHERE tgrelid IN ({_TABLES_SQL}) "  # noqa: S608 - constant SQL fragments only
            "AND NOT tgisinternal) + "
            f"(SELECT count(*) FROM pg_rewrite WHERE ev_class IN ({_TABLES_SQL}))"
        )
    ).scalar_one()
    if own_rules:
        return False
    try:
        with session.begin_nested():
            session.execute(text("SET LOCAL session_replication_role = replica"))
            locked = session.execute(
                text("SELECT id FROM organisation WHERE id = :org FOR KEY SHARE"),
                {"org": organisation_id},
            ).first()
            if locked is None:  # undo: the triggers will raise the foreign-key violation
                raise _Declined
    except (DBAPIError, _Declined):
        return False  # not allowed to this role (setting, or lock without UPDATE privilege)
    return True


class _Declined(Exception):
    """Rolls the savepoint back: the per-row triggers stay on."""
