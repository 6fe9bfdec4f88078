"""`observatoire supprimer-demo` and the demo's refusal in production (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session
from typer.testing import CliRunner

from etl.cli import app
from etl.demo import DemoPlan, DemoRefusedInProduction, create_demo, database_is_empty
from observatoire.publication.service import publish
from observatoire.settings import Settings, get_settings
from observatoire.store.models import Publication
from tests.support.factories import bearer, make_client, make_key, make_org, make_rows

TABLES = [
    "organisation",
    "api_key",
    "submission",
    "submission_content",
    "current_count",
    "revision",
    "idempotency_record",
]


@pytest.fixture
def cli(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args, input=None, env=None):  # noqa: A002 - CliRunner's name
        return runner.invoke(app, list(args), input=input, env=env)

    yield invoke
    get_settings.cache_clear()


def _rows_of(engine, org_id: int) -> dict[str, int]:
    """Rows per table that belong to one organisation (directly or through a submission)."""
    out = {}
    with engine.connect() as connection:
        for table in TABLES:
            column = "id" if table == "organisation" else "organisation_id"
            if table == "submission_content":
                sql = (
                    "SELECT count(*) FROM submission_content WHERE submission_id IN "
                    "(SELECT id FROM submission WHERE organisation_id = :o)"
                )
            else:
                sql = f"SELECT count(*) FROM {table} WHERE {column} = :o"  # noqa: S608
            out[table] = connection.execute(text(sql), {"o": org_id}).scalar_one()
    return out


def _submit(settings, key, rows, idem: str) -> None:
    with make_client(settings) as client:
        response = client.post(
            "/v1/soumissions",
            json={"lignes": rows},
            headers={**bearer(key), "Idempotency-Key": idem},
        )
        assert response.status_code == 201, response.text
        corrected = [{**rows[0], "nombre": rows[0]["nombre"] + 1}]
        assert client.post("/v1/soumissions", json={"lignes": corrected}, headers=bearer(key))


def test_purge_asks_first_then_removes_exactly_the_fictive_data(cli, engine, settings):
    demo = make_org(engine, "demo-asso", nom="Asso démo (fictive)", synthetique=True)
    _submit(settings, make_key(engine, settings, demo), make_rows(40, months=("2025-03",)), "d1")
    fictive_pub = publish(engine, settings, today=date(2025, 6, 15)).id
    real = make_org(engine, "vraie-asso", nom="Vraie Asso")
    _submit(
        settings,
        make_key(engine, settings, real),
        make_rows(30, months=("2025-04",), start=5),
        "r1",
    )
    real_before = _rows_of(engine, real.id)
    assert all(real_before.values())
    assert all(_rows_of(engine, demo.id).values())

    refused = cli("publish")
    assert refused.exit_code == 1 and "supprimer-demo" in refused.output

    declined = cli("supprimer-demo", input="n\n")
    assert declined.exit_code == 1
    for named in ("Asso démo (fictive)", f"Publications bâties sur elles (1) : {fictive_pub}"):
        assert named in declined.output
    assert "Vraie Asso" not in declined.output
    assert _rows_of(engine, demo.id)["current_count"] == 40  # nothing went

    done = cli("supprimer-demo", input="o\n")
    assert done.exit_code == 0, done.output
    assert not any(_rows_of(engine, demo.id).values())
    assert _rows_of(engine, real.id) == real_before
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Publication)).one()[0] == 0

    assert "rien à supprimer" in cli("supprimer-demo").output
    published = cli("publish")
    assert published.exit_code == 0 and "Publication" in published.output


def test_purge_without_prompt_for_scripts(cli, engine):
    make_org(engine, "demo-asso", nom="Asso démo (fictive)", synthetique=True)
    make_org(engine, "vraie-asso", nom="Vraie Asso")
    result = cli("supprimer-demo", "--oui")
    assert result.exit_code == 0, result.output
    assert "Asso démo (fictive)" in result.output
    with engine.connect() as connection:
        assert connection.execute(text("SELECT slug FROM organisation")).scalars().all() == [
            "vraie-asso"
        ]


PRODUCTION = {"ENVIRONMENT": "production", "API_KEY_PEPPER": "f" * 32}


@pytest.mark.parametrize("env", [PRODUCTION, {"ENVIRONMENT": "production"}])
def test_demo_refuses_to_run_in_production(cli, engine, env):
    result = cli("demo", env=env)
    assert result.exit_code == 1
    assert "ENVIRONMENT=production" in " ".join(result.output.split())
    assert database_is_empty(engine)
    served = cli("serve", "--demo-si-vide", "--api-port", "1", env=env)
    assert served.exit_code == 1 and "Démonstration refusée" in served.output


def test_create_demo_refuses_production_settings(engine, db_url):
    settings = Settings(database_url=db_url, **{k.lower(): v for k, v in PRODUCTION.items()})
    plan = DemoPlan("2025-01", "2025-02", reports_per_month=500, monthly_publications=0)
    with pytest.raises(DemoRefusedInProduction):
        create_demo(engine, settings, plan, report=lambda _m: None, today=date(2025, 6, 1))
    assert database_is_empty(engine)
