"""Shared fixtures: settings and a fresh database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

os.environ.setdefault("ENVIRONMENT", "test")

from api.settings import ApiSettings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from tests.support.databases import PostgresFactory, SqliteFactory, ensure_postgres  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_factory() -> Iterator[PostgresFactory]:
    problem = ensure_postgres()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    factory = PostgresFactory()
    yield factory
    factory.close()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, sqlite_factory: SqliteFactory) -> Iterator[str]:
    """URL of a fresh, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_factory.new()
        return
    factory: PostgresFactory = request.getfixturevalue("postgres_factory")
    url = factory.new()
    yield url
    factory.drop(url)


@pytest.fixture
def settings(db_url: str) -> ApiSettings:
    """API settings bound to the fresh test database."""
    return ApiSettings(environment="test", database_url=db_url, api_rate_limit="10000/minute")


@pytest.fixture
def engine(settings: ApiSettings):
    """An engine on the fresh test database."""
    engine = make_engine(settings.effective_database_url, settings)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Streamlit's AppTest runs a page as `__main__` and leaves it there; a process pool started
    later with "spawn" (the disclosure engine's) would re-run that page in each child, which dies
    at once (BrokenProcessPool). Each test gets back the `__main__` it started with."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
