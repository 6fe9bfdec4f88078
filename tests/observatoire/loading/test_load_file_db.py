"""`load_file` on SQLite and PostgreSQL: all or nothing, and the same results as the API."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from api.main import create_app
from etl.cli import app as cli_app
from observatoire.loading.load import load_file
from observatoire.loading.table import LoaderSettings
from observatoire.submissions.bulk import bulk_store_submission
from observatoire.submissions.keys import issue_key
from observatoire.submissions.organisations import create_organisation
from observatoire.submissions.store import store_submission
from observatoire.submissions.validation import ValidRow
from tests.support.stored import stored_lines

DATA = Path(__file__).resolve().parents[2] / "data"
TABLES = ("submission", "submission_content", "current_count", "revision")


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every stored value that must not depend on the path taken (ids and times left out)."""
    queries = {
        "current": "SELECT departement, mois, type_incident, nombre FROM current_count "
        "ORDER BY departement, mois, type_incident",
        "revisions": "SELECT departement, mois, type_incident, ancienne_valeur, nouvelle_valeur "
        "FROM revision ORDER BY id",
        "submissions": "SELECT lignes, creees, modifiees, inchangees FROM submission ORDER BY id",
    }
    with engine.connect() as conn:
        found = {k: [tuple(r) for r in conn.execute(text(q)).all()] for k, q in queries.items()}
    lines = stored_lines(engine)
    rank = {submission_id: n for n, submission_id in enumerate(sorted({x[0] for x in lines}))}
    found["lines"] = sorted((rank[submission_id], *line) for submission_id, *line in lines)
    return found


@pytest.fixture
def org(engine):
    return create_organisation(engine, "cimade", "La Cimade")


def test_clean_file_is_stored_as_one_submission(engine, settings, org):
    report = load_file(
        DATA / "long-cp1252-pointvirgule.csv", org_slug="cimade", engine=engine, settings=settings
    )
    assert report.ok and report.store_path == "store_submission"
    assert (report.summary.creees, report.summary.modifiees) == (3, 0)
    assert counts(engine) == {
        "submission": 1,
        "submission_content": 1,
        "current_count": 3,
        "revision": 3,
    }
    assert len(stored_lines(engine)) == 3
    with engine.connect() as conn:
        assert conn.execute(text("SELECT source FROM submission")).scalar_one() == "fichier"


@pytest.mark.parametrize(
    "name",
    [
        "une-ligne-fausse.csv",
        "erreurs-variees.csv",
        "large-par-type-erreurs.csv",
        "octet-nul.csv",
        "utf16-sans-bom.csv",
    ],
)
def test_a_failed_file_writes_nothing(engine, settings, org, name):
    load_file(DATA / "long-utf8-virgule.csv", org_slug="cimade", engine=engine, settings=settings)
    before = counts(engine)
    report = load_file(DATA / name, org_slug="cimade", engine=engine, settings=settings)
    assert not report.ok and report.summary is None
    assert counts(engine) == before


def test_dry_run_writes_nothing_on_both_store_paths(engine, settings, org):
    for threshold in (10_000, 1):
        loader = LoaderSettings(**settings.model_dump(), loader_bulk_threshold=threshold)
        report = load_file(
            DATA / "large-par-mois-utf8.csv",
            org_slug="cimade",
            engine=engine,
            settings=loader,
            dry_run=True,
        )
        assert report.ok and report.summary.id is None and report.summary.creees == 5
        assert counts(engine) == dict.fromkeys(TABLES, 0)


def rows_to_csv(rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["departement", "mois", "type_incident", "nombre"])
    writer.writerows(rows)
    return out.getvalue().encode()


def batches() -> list[list[tuple]]:
    """A first batch, then a correction: created, updated, unchanged and new cells."""
    first = [
        ("93", "2025-01", "depot_impossible", 4),
        ("93", "2025-01", "demarche_absente", 2),
        ("93", "2025-01", "demarches_simultanees", 1),
        ("2A", "2025-02", "perte_emploi", 7),
        ("29", "2025-02", "perte_emploi", 0),
    ]
    second = [
        ("93", "2025-01", "depot_impossible", 5),  # updated
        ("93", "2025-01", "demarche_absente", 2),  # unchanged
        ("2A", "2025-02", "perte_emploi", 0),  # corrected to zero
        ("974", "2025-03", "rdv_indisponible", 12),  # new
        ("29", "2025-02", "perte_emploi", 0),  # unchanged
    ]
    return [first, second]


@pytest.mark.parametrize("threshold", [10_000, 1], ids=["store_submission", "bulk"])
def test_loader_and_api_store_identical_results(settings, org, engine, tmp_path, threshold):
    loader = LoaderSettings(**settings.model_dump(), loader_bulk_threshold=threshold)
    for i, rows in enumerate(batches()):
        path = tmp_path / f"lot{i}.csv"
        path.write_bytes(rows_to_csv(rows))
        report = load_file(path, org_slug="cimade", engine=engine, settings=loader)
        assert report.ok, report.issues
    by_loader = snapshot(engine)

    create_organisation(engine, "secours", "Secours")
    key = issue_key(engine, "secours", settings.effective_pepper).key
    with TestClient(create_app(settings)) as client:
        for rows in batches():
            response = client.post(
                "/v1/soumissions",
                content=rows_to_csv(rows),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"},
            )
            assert response.status_code == 201, response.text
    with engine.connect() as conn:
        conn.execute(text("DELETE FROM revision WHERE organisation_id = :o"), {"o": org.id})
        conn.execute(text("DELETE FROM current_count WHERE organisation_id = :o"), {"o": org.id})
        conn.execute(
            text(
                "DELETE FROM submission_content WHERE submission_id IN "
                "(SELECT id FROM submission WHERE organisation_id = :o)"
            ),
            {"o": org.id},
        )
        conn.execute(text("DELETE FROM submission WHERE organisation_id = :o"), {"o": org.id})
        conn.commit()
    assert snapshot(engine) == by_loader
    assert by_loader["submissions"] == [(5, 5, 0, 0), (5, 1, 2, 2)]


def test_bulk_store_equals_store_submission(engine, org):
    other = create_organisation(engine, "aurore", "Aurore")
    for rows in batches():
        valid = [ValidRow(i, *r) for i, r in enumerate(rows, start=1)]
        a = store_submission(engine, org.id, "k1", valid, source="fichier")
        b = bulk_store_submission(engine, other.id, "k1", valid, source="fichier")
        assert (a.lignes, a.creees, a.modifiees, a.inchangees) == (
            b.lignes,
            b.creees,
            b.modifiees,
            b.inchangees,
        )
    columns = "departement, mois, type_incident, ancienne_valeur, nouvelle_valeur, key_prefix"
    with engine.connect() as conn:
        for table, cols in [
            ("revision", columns),
            ("current_count", "departement, mois, type_incident, nombre"),
        ]:
            got = [
                conn.execute(
                    text(f"SELECT {cols} FROM {table} WHERE organisation_id = :o ORDER BY id"),
                    {"o": o},
                ).all()
                for o in (org.id, other.id)
            ]
            assert got[0] == got[1]
        stamps = conn.execute(
            text("SELECT cree_le FROM revision ORDER BY id DESC LIMIT 1")
        ).scalar_one()
        assert stamps is not None


def test_cli_exit_codes_and_summary(settings, org, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    runner = CliRunner()
    bad = runner.invoke(cli_app, ["charger", str(DATA / "une-ligne-fausse.csv"), "--org", "cimade"])
    assert bad.exit_code == 1
    assert "Atlantide" in bad.output and "rien n'a été enregistré" in bad.output
    good = runner.invoke(cli_app, ["charger", str(DATA / "long-tabulation.tsv"), "--org", "cimade"])
    assert good.exit_code == 0, good.output
    assert "Fichier enregistré" in good.output
    unknown = runner.invoke(cli_app, ["charger", str(DATA / "long-tabulation.tsv"), "--org", "x"])
    assert unknown.exit_code == 2


def test_cli_refuses_a_nul_byte_without_a_traceback(settings, org, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    refused = CliRunner().invoke(
        cli_app, ["charger", str(DATA / "octet-nul.csv"), "--org", "cimade"]
    )
    assert refused.exit_code == 1 and isinstance(refused.exception, SystemExit)
    output = " ".join(refused.output.split())  # rich wraps long reasons
    assert "octet NUL à la ligne 3" in output and "CSV UTF-8" in output
    assert "rien n'a été enregistré" in output


def test_today_bounds_come_from_the_api_validation(engine, settings, org, tmp_path):
    path = tmp_path / "futur.csv"
    path.write_bytes(rows_to_csv([("93", "2025-03", "depot_impossible", 1)]))
    report = load_file(
        path, org_slug="cimade", engine=engine, settings=settings, today=date(2025, 2, 1)
    )
    assert [i.raison for i in report.issues] == [
        "mois dans le futur (dernier mois accepté : 2025-02)"
    ]
