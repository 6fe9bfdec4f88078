"""Migrations upgrade from empty and downgrade back, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from observatoire.store.db import make_engine
from observatoire.store.migrate import current_revision, downgrade, upgrade
from tests.support.databases import PostgresFactory

EXPECTED_TABLES = {
    "organisation",
    "api_key",
    "submission",
    "submission_line",
    "current_count",
    "revision",
    "idempotency_record",
    "publication",
}


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
    assert current_revision(empty_url) == "0001"
    assert _tables(empty_url) >= EXPECTED_TABLES

    downgrade(empty_url, "base")
    assert current_revision(empty_url) is None
    assert _tables(empty_url) == set()

    upgrade(empty_url)  # and up again: downgrade left nothing behind that blocks it
    assert _tables(empty_url) >= EXPECTED_TABLES


def test_sqlite_uses_wal_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        engine.dispose()
