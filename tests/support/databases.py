"""Fresh databases for tests: a migrated template per backend, copied for each test."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from observatoire.store.migrate import upgrade

PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def ensure_postgres() -> str | None:
    """Start the local PostgreSQL cluster when installed but stopped; None if available."""
    if _pg_reachable():
        return None
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") and clusters.is_dir():
        for version in sorted(p.name for p in clusters.iterdir()):
            subprocess.run(  # noqa: S603
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],  # noqa: S607
                check=False,
                capture_output=True,
            )
        if _pg_reachable():
            return None
    return f"PostgreSQL unreachable at {PG_ADMIN_DSN}"


def pg_url(dbname: str) -> str:
    """SQLAlchemy URL of a database on the test server."""
    info = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_DSN)
    user = info.get("user", "postgres")
    host = info.get("host", "127.0.0.1")
    port = info.get("port", "5432")
    return f"postgresql+psycopg://{user}@{host}:{port}/{dbname}"


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(statement)


class PostgresFactory:
    """Creates one migrated template database, then a copy of it per test."""

    def __init__(self) -> None:
        self.template = f"obs_tmpl_{uuid.uuid4().hex[:10]}"
        _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        upgrade(pg_url(self.template))
        self.created: list[str] = []

    def new(self) -> str:
        """A fresh migrated database; returns its URL."""
        name = f"obs_t_{uuid.uuid4().hex[:12]}"
        _admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(self.template)
            )
        )
        self.created.append(name)
        return pg_url(name)

    def drop(self, url: str) -> None:
        """Drop a test database (terminating leftover connections)."""
        name = url.rsplit("/", 1)[1]
        _admin(
            sql.SQL(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {}"
            ).format(sql.Literal(name))
        )
        _admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def close(self) -> None:
        """Drop the template."""
        self.drop(pg_url(self.template))


class SqliteFactory:
    """Migrates one SQLite file, then copies it for each test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"
        upgrade(f"sqlite:///{self.template}")

    def new(self) -> str:
        """A fresh migrated SQLite file; returns its URL."""
        path = self.root / f"t_{uuid.uuid4().hex[:12]}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"
