"""Persistence: SQLModel tables, engines (SQLite or PostgreSQL) and Alembic migrations."""
