"""Migrations upgrade from empty and downgrade back, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import observatoire.store.models  # noqa: F401  (registers the tables)
from observatoire.store.db import make_engine
from observatoire.store.migrate import current_revision, downgrade, upgrade
from observatoire.submissions.queries import get_submission
from tests.support.databases import PostgresFactory

EXPECTED_TABLES = {
    "organisation",
    "api_key",
    "submission",
    "submission_content",
    "current_count",
    "revision",
    "idempotency_record",
    "publication",
}
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    factory: PostgresFactory = request.getfixturevalue("postgres_factory")
    url = factory.new()  # a copy of the migrated template: take it back to empty first
    downgrade(url, "base")
    yield url
    factory.drop(url)


def test_upgrade_from_empty_then_downgrade_to_empty(empty_url):
    assert current_revision(empty_url) is None
    assert _tables(empty_url) == set()

    upgrade(empty_url)
    assert current_revision(empty_url) == "0004"
    assert _tables(empty_url) >= EXPECTED_TABLES

    downgrade(empty_url, "base")
    assert current_revision(empty_url) is None
    assert _tables(empty_url) == set()

    upgrade(empty_url)  # and up again: downgrade left nothing behind that blocks it
    assert _tables(empty_url) >= EXPECTED_TABLES


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, SQLModel.metadata)  # type: ignore[no-any-return]
    finally:
        engine.dispose()


def _indexes(url: str) -> dict[str, set[tuple[str, tuple[str, ...], str | None]]]:
    """(name, columns, access method on PostgreSQL) of each bulk table's indexes, besides
    those of its primary key and unique constraints; the latter as ("unique", columns, None)."""
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: {
                (
                    index["name"],
                    tuple(index["column_names"]),
                    index.get("dialect_options", {}).get("postgresql_using"),
                )
                for index in inspector.get_indexes(table)
                if "duplicates_constraint" not in index
            }
            | {
                ("unique", tuple(constraint["column_names"]), None)
                for constraint in inspector.get_unique_constraints(table)
            }
            for table in ("submission_content", "current_count", "revision")
        }
    finally:
        engine.dispose()


def _collations(url: str, table: str, columns: tuple[str, ...]) -> list[str | None]:
    engine = make_engine(url)
    try:
        found = {c["name"]: c["type"] for c in inspect(engine).get_columns(table)}
        return [getattr(found[name], "collation", None) for name in columns]
    finally:
        engine.dispose()


def test_the_migrations_build_the_schema_the_models_describe(empty_url):
    upgrade(empty_url)
    assert _differences(empty_url) == []
    # Each index of the tables a submission writes row by row costs a write per row: only the
    # unique cell constraint and the lookup of a submission's revisions remain.
    brin = "brin" if empty_url.startswith("postgresql") else None
    indexes = _indexes(empty_url)
    assert indexes["submission_content"] == set()  # its primary key only
    assert indexes["revision"] == {("ix_revision_submission_id", ("submission_id",), brin)}
    cell = ("organisation_id", "departement", "mois", "type_incident")
    assert indexes["current_count"] == {("unique", cell, None)}
    # compare_metadata ignores collations: byte order of the cell's codes on PostgreSQL.
    collation = "C" if brin else None
    assert _collations(empty_url, "current_count", cell[1:]) == [collation] * 3
    assert _collations(empty_url, "revision", cell[1:]) == [None] * 3

    downgrade(empty_url, "0001")  # the previous schema differs: the comparison sees it
    assert _differences(empty_url) != []
    assert _collations(empty_url, "current_count", cell[1:]) == [None] * 3
    upgrade(empty_url)
    assert _differences(empty_url) == []


def test_sqlite_uses_wal_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        engine.dispose()


def test_submitted_lines_survive_the_change_of_storage_both_ways(empty_url):
    """0002 turns each submission's rows into one value; its downgrade turns them back."""
    upgrade(empty_url, "0001")
    lines = {  # submission id → (ligne, département, mois, type, nombre), in id order
        1: [(1, "93", "2025-01", "a", 4), (2, "2A", "2025-01", "b", 0)],
        2: [
            (3, "974", "2025-02", "a", 1),
            (3, "974", "2025-02", "c", 2),
            (1, "01", "2025-02", "a", 9),
        ],
        3: [],  # a submission without lines gets no value, and none comes back
    }
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organisation (id, slug, nom, synthetique, cree_le) "
                    "VALUES (1, 'asso', 'Asso', false, :t)"
                ),
                {"t": NOW},
            )
            for submission_id, rows in lines.items():
                conn.execute(
                    text(
                        "INSERT INTO submission (id, organisation_id, source, recue_le, lignes, "
                        "creees, modifiees, inchangees) VALUES (:id, 1, 'api', :t, :n, 0, 0, 0)"
                    ),
                    {"id": submission_id, "t": NOW, "n": len(rows)},
                )
                for row in rows:
                    conn.execute(
                        text(
                            "INSERT INTO submission_line (submission_id, ligne, departement, "
                            "mois, type_incident, nombre) VALUES (:s, :l, :d, :m, :k, :n)"
                        ),
                        dict(zip("sldmkn", (submission_id, *row), strict=True)),
                    )
        upgrade(empty_url)
        for submission_id, rows in lines.items():
            _, got = get_submission(engine, 1, submission_id)
            expected = sorted(rows, key=lambda row: row[0])  # by line, submitted order kept
            assert [(r.ligne, r.departement, r.mois, r.type_incident, r.nombre) for r in got] == (
                expected
            )
        downgrade(empty_url, "0001")
        with engine.connect() as conn:
            back = conn.execute(
                text(
                    "SELECT submission_id, ligne, departement, mois, type_incident, nombre "
                    "FROM submission_line ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in back] == [(s, *row) for s, rows in lines.items() for row in rows]
    finally:
        engine.dispose()
