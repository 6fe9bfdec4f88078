"""Alembic environment: our metadata, our engine factory (WAL and busy timeout on SQLite)."""

from alembic import context
from sqlmodel import SQLModel

import observatoire.store.models  # noqa: F401  (registers the tables)
from observatoire.store.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run migrations on a live connection; SQLite uses batch mode for ALTERs."""
    url = config.attributes["database_url"]
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=engine.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
