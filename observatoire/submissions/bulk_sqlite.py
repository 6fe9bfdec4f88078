"""SQLite side of the bulk path: the batch is bound once into a temporary table, compared with
the current values by one UPDATE … FROM, then copied into the final tables by INSERT … SELECT.

Binding values from Python is the costly part on SQLite: one executemany of the whole batch
costs less than one per table (1,000,000 new rows: 14 s of CPU instead of 20 s) or reading the
current values back into Python. The writer lock taken at BEGIN IMMEDIATE keeps the cells.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session


def stage(
    session: Session, organisation_id: int, columns: tuple[list[Any], ...]
) -> tuple[int, int]:
    """Load the batch (departement, mois, type_incident, nombre) into `bulk_rows`, with each
    cell's id and value before the batch; return (created, changed)."""
    session.execute(text("DROP TABLE IF EXISTS temp.bulk_rows"))
    session.execute(
        text(
            "CREATE TEMP TABLE bulk_rows (departement TEXT, "
            "mois TEXT, type_incident TEXT, nombre INTEGER, cell_id INTEGER, ancienne INTEGER)"
        )
    )
    driver = session.connection().connection.driver_connection
    driver.executemany(
        "INSERT INTO bulk_rows (departement, mois, type_incident, nombre) VALUES (?, ?, ?, ?)",
        zip(*columns, strict=True),
    )
    session.execute(
        text(
            "UPDATE bulk_rows SET cell_id = c.id, ancienne = c.nombre FROM current_count c "
            "WHERE c.organisation_id = :org AND c.departement = bulk_rows.departement "
            "AND c.mois = bulk_rows.mois AND c.type_incident = bulk_rows.type_incident"
        ),
        {"org": organisation_id},
    )
    created, changed = session.execute(
        text(
            "SELECT COALESCE(SUM(cell_id IS NULL), 0), COALESCE(SUM(ancienne <> nombre), 0) "
            "FROM bulk_rows"
        )
    ).one()
    return int(created), int(changed)


def write_staged(
    session: Session, organisation_id: int, submission_id: int, key_prefix: str | None, stamp: Any
) -> None:
    """Copy the staged batch into the tables, in the order `store_submission` gives ids."""
    params = {"org": organisation_id, "sid": submission_id, "kp": key_prefix, "at": stamp}
    for statement in (
        # BINARY collation: byte order, the cell order of every writer (as Python sorts).
        "INSERT INTO revision (organisation_id, submission_id, departement, mois, type_incident, "
        "ancienne_valeur, nouvelle_valeur, key_prefix, cree_le) SELECT :org, :sid, departement, "
        "mois, type_incident, ancienne, nombre, :kp, :at FROM bulk_rows "
        "WHERE cell_id IS NULL OR ancienne <> nombre ORDER BY departement, mois, type_incident",
        "UPDATE current_count SET nombre = b.nombre, submission_id = :sid, modifie_le = :at "
        "FROM bulk_rows b WHERE current_count.id = b.cell_id AND b.ancienne <> b.nombre",
        "INSERT INTO current_count (organisation_id, departement, mois, type_incident, nombre, "
        "submission_id, modifie_le) SELECT :org, departement, mois, type_incident, nombre, :sid, "
        ":at FROM bulk_rows WHERE cell_id IS NULL ORDER BY departement, mois, type_incident",
        "DROP TABLE bulk_rows",
    ):
        session.execute(text(statement), params)
