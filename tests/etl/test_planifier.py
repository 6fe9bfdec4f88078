"""`observatoire planifier --une-fois`: one check of the schedule, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from etl.cli import app
from observatoire.settings import get_settings
from observatoire.submissions.organisations import create_organisation
from observatoire.submissions.store import store_submission
from observatoire.submissions.validation import ValidRow


@pytest.fixture(autouse=True)
def _database(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_nothing_due_on_an_empty_database():
    result = CliRunner().invoke(app, ["planifier", "--une-fois", "--date", "2026-11-05"])
    assert result.exit_code == 0, result.output
    assert "Rien à publier" not in result.output
    assert "Prochaine date : 2026-11-05 (mensuelle)" in result.output


def test_the_monthly_publication_is_made_on_its_day(engine):
    org = create_organisation(engine, "asso-planifiee", "Association planifiée")
    store_submission(engine, org.id, None, [ValidRow(2, "93", "2026-10", "rdv_indisponible", 40)])
    result = CliRunner().invoke(app, ["planifier", "--une-fois", "--date", "2026-11-05"])
    assert result.exit_code == 0, result.output
    assert "Publication" in result.output and "jusqu'à 2026-10" in result.output
    again = CliRunner().invoke(app, ["planifier", "--une-fois", "--date", "2026-11-06"])
    assert "Publication" not in again.output.replace("Prochaine", "")
