"""Engines and sessions. SQLite: WAL, busy timeout, `BEGIN IMMEDIATE` for writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from observatoire.settings import Settings, get_settings


def is_sqlite(url: str) -> bool:
    """Whether a SQLAlchemy URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """Create an engine; SQLite files get their folder, WAL and a busy timeout."""
    settings = settings or get_settings()
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    connect_args: dict[str, object] = {"connect_timeout": settings.db_connect_timeout_s}
    if settings.db_statement_timeout_ms:
        connect_args["options"] = f"-c statement_timeout={int(settings.db_statement_timeout_ms)}"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_timeout=settings.db_pool_timeout_s,
        pool_size=10,
        max_overflow=20,
        connect_args=connect_args,
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling cannot issue BEGIN IMMEDIATE; take it over so that
    # writers queue on the lock up front instead of failing with "database is locked" on upgrade.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for one write transaction: committed on success, rolled back on error."""
    bind = (
        engine.execution_options(sqlite_begin="IMMEDIATE")
        if engine.dialect.name == "sqlite"
        else engine
    )
    with Session(bind) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads."""
    with Session(engine) as session:
        yield session
