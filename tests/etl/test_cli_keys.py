"""`observatoire org …` and `observatoire key …` through Typer's CliRunner."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from etl.cli import app
from observatoire.settings import Settings, get_settings
from observatoire.store.db import make_engine
from observatoire.store.models import ApiKey, Organisation
from observatoire.submissions.keys import verify_key

KEY_RE = re.compile(r"^obs_[0-9a-f]{12}_[A-Za-z0-9_-]{43,}$", re.MULTILINE)


@pytest.fixture
def cli(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def test_org_create_and_list(cli):
    result = cli("org", "create", "la-cimade", "--nom", "La Cimade")
    assert result.exit_code == 0, result.output
    assert cli("org", "create", "demo", "--nom", "Démo", "--synthetique").exit_code == 0
    duplicate = cli("org", "create", "la-cimade", "--nom", "Autre")
    assert duplicate.exit_code == 1 and "existe déjà" in duplicate.output
    assert cli("org", "create", "Pas Bon", "--nom", "x").exit_code == 1
    listing = cli("org", "list")
    assert "la-cimade" in listing.output and "La Cimade" in listing.output
    assert "demo" in listing.output


def test_key_issue_list_revoke_and_rotation(cli, engine):
    cli("org", "create", "asso", "--nom", "Asso")
    first = cli("key", "issue", "asso")
    assert first.exit_code == 0, first.output
    key = KEY_RE.search(first.output).group(0)
    prefix = key.split("_")[1]
    pepper = Settings(environment="test").effective_pepper
    assert verify_key(engine, key, pepper).organisation_slug == "asso"

    second = cli("key", "issue", "asso")
    assert second.exit_code == 0
    third = cli("key", "issue", "asso")
    assert third.exit_code == 1
    assert "revoke" in third.output and "2 clés actives" in third.output

    listing = cli("key", "list", "asso")
    assert prefix in listing.output and key not in listing.output
    assert key.split("_", 2)[2] not in listing.output
    assert cli("key", "list").exit_code == 0
    assert cli("key", "list", "inconnue").exit_code == 1

    revoked = cli("key", "revoke", prefix)
    assert revoked.exit_code == 0, revoked.output
    assert verify_key(engine, key, pepper) is None
    assert cli("key", "revoke", prefix).exit_code == 1
    assert cli("key", "revoke", "000000000000").exit_code == 1
    assert "révoquée" in cli("key", "list", "asso").output
    assert cli("key", "issue", "asso").exit_code == 0  # a slot is free again

    with Session(engine) as session:
        stored = session.execute(select(ApiKey.key_hmac)).scalars().all()
    assert len(stored) == 3 and all(len(h) == 64 and key not in h for h in stored)


def test_issue_for_unknown_organisation(cli):
    result = cli("key", "issue", "personne")
    assert result.exit_code == 1 and "aucune organisation" in result.output


def test_org_start_month_is_declared(cli, db_url):
    assert cli("org", "create", "asso-debut", "--nom", "Début").exit_code == 0
    assert cli("org", "debut", "asso-debut", "2025-13").exit_code == 1
    result = cli("org", "debut", "asso-debut", "2025-04")
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            org = session.execute(
                select(Organisation).where(Organisation.slug == "asso-debut")
            ).scalar_one()
            assert org.debut == "2025-04"
    finally:
        engine.dispose()
