"""`POST /v1/soumissions/fichier`: the operator's loader behind the API, on SQLite and PostgreSQL.

Every case of the loader (cp1252 `;` with names and French months, XLSX with dates, wide
layouts), row numbers as a spreadsheet shows them, suggestions, all-or-nothing, dry runs that
leave the Idempotency-Key alone, limits.
"""

from __future__ import annotations

import io
import time
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from api.settings import ApiSettings
from observatoire.store.models import CurrentCount, Submission
from tests.support.factories import bearer, make_client, make_key, make_org

DATA = Path(__file__).resolve().parents[1] / "data"
FRENCH_FILE = (
    "Département;Mois;Type;Nombre\r\n"
    "Paris;septembre 2025;Rendez-vous indisponible;1 234\r\n"
    "Seine-Saint-Denis;09/2025;depot_impossible;7\r\n"
    "Côte-d'Or;sept. 2025;Attestation refusée;0\r\n"
)


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def caller(engine, settings):
    org = make_org(engine)
    return org, make_key(engine, settings, org)


@pytest.fixture
def client(settings):
    with make_client(settings) as client:
        yield client


def send(client, key, content: bytes, name: str = "comptages.csv", **params):
    headers = {**bearer(key), **params.pop("headers", {})}
    return client.post(
        "/v1/soumissions/fichier",
        params=params,
        files={"fichier": (name, content, "application/octet-stream")},
        headers=headers,
    )


def test_a_french_spreadsheet_export_is_understood_and_stored(client, caller, engine):
    _, key = caller
    content = FRENCH_FILE.encode("cp1252")
    preview = send(client, key, content, dry_run="true")
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["dry_run"] is True and body["soumission_id"] is None
    assert body["fichier"] == "comptages.csv" and body["format"] == "csv"
    assert body["resume"] == {"lignes": 3, "nouvelles": 3, "modifiees": 0, "inchangees": 0}
    first = body["lignes"][0]
    assert first == {
        "ligne": 2,
        "departement": "75",
        "departement_nom": "Paris",
        "mois": "2025-09",
        "type_incident": "rdv_indisponible",
        "type_libelle": "Rendez-vous indisponible",
        "nombre": 1234,
        "statut": "nouvelle",
        "ancien_nombre": None,
    }
    assert [(line["ligne"], line["departement"]) for line in body["lignes"]] == [
        (2, "75"),
        (3, "93"),
        (4, "21"),
    ]
    assert count(engine, Submission) == count(engine, CurrentCount) == 0

    stored = send(client, key, content)
    assert stored.status_code == 201, stored.text
    assert stored.json()["soumission_id"] is not None
    assert count(engine, CurrentCount) == 3
    listing = client.get("/v1/soumissions", headers=bearer(key)).json()["data"][0]
    assert (listing["fichier"], listing["source"], listing["cle"]) == (
        "comptages.csv",
        "fichier",
        key.prefix,
    )


def test_resending_a_changed_file_shows_old_values(client, caller):
    _, key = caller
    assert send(client, key, FRENCH_FILE.encode("cp1252")).status_code == 201
    changed = FRENCH_FILE.replace("1 234", "1 300").encode("cp1252")
    body = send(client, key, changed, dry_run="true").json()
    assert body["resume"] == {"lignes": 3, "nouvelles": 0, "modifiees": 1, "inchangees": 2}
    modified = [line for line in body["lignes"] if line["statut"] == "modifiee"]
    assert [(m["ligne"], m["ancien_nombre"], m["nombre"]) for m in modified] == [(2, 1234, 1300)]
    stored = send(client, key, changed).json()
    assert stored["resume"]["modifiees"] == 1
    assert [line["ancien_nombre"] for line in stored["lignes"]] == [1234, 7, 0]


def test_an_xlsx_with_dates_and_a_title_line_is_read(client, caller):
    _, key = caller
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Comptages de l'association"])
    sheet.append(["DÉPARTEMENT", "Mois", "Type d'incident", "Nombre"])
    sheet.append(["93", datetime(2025, 3, 1), "instruction_bloquee", 4])
    sheet.append([75, datetime(2025, 4, 1), "rdv_indisponible", 2])
    out = io.BytesIO()
    workbook.save(out)
    response = send(client, key, out.getvalue(), name="envoi.xlsx")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == "xlsx"
    assert [(r["ligne"], r["departement"], r["mois"]) for r in body["lignes"]] == [
        (3, "93", "2025-03"),
        (4, "75", "2025-04"),
    ]


def test_a_wide_layout_gives_one_row_per_value(client, caller):
    _, key = caller
    content = (DATA / "large-par-type-cp1252.csv").read_bytes()
    response = send(client, key, content, dry_run="true")
    assert response.status_code == 200, response.text
    lines = response.json()["lignes"]
    assert {(r["ligne"], r["departement"], r["type_incident"], r["nombre"]) for r in lines} >= {
        (2, "93", "depot_impossible", 10),
        (3, "69", "rdv_indisponible", 4),
    }


def test_one_bad_row_stores_nothing_and_is_named_with_a_suggestion(client, caller, engine):
    _, key = caller
    content = "departement;mois;type_incident;nombre\n93;2025-03;depot_impossible;4\n"
    content += "Pari;2025-03;rdv indisponibles;2\n75;2025-03;depot_impossible;-3\n"
    response = send(client, key, content.encode())
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {(e["ligne"], e["colonne"]): e for e in response.json()["erreurs"]}
    assert set(errors) == {(3, "departement"), (3, "type_incident"), (4, "nombre")}
    assert errors[(3, "departement")]["valeur"] == "Pari"
    assert errors[(3, "departement")]["suggestion"] == "75"
    assert errors[(3, "type_incident")]["suggestion"] == "rdv_indisponible"
    assert "négatif" in errors[(4, "nombre")]["message"]
    assert count(engine, Submission) == count(engine, CurrentCount) == 0


def test_refusals_in_english_on_request(client, caller):
    _, key = caller
    content = b"departement;mois;type_incident;nombre\n75;2025-03;depot_impossible;-3\n"
    response = send(client, key, content, headers={"Accept-Language": "en-GB,en;q=0.8"})
    error = response.json()["erreurs"][0]
    assert "negative" in error["message"]
    assert "nothing was stored" in response.json()["detail"]


def test_unreadable_files_are_refused_clearly(client, caller):
    _, key = caller
    for content, expected in (
        (b"", "vide"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 not a zip", "XLSX"),
    ):
        response = send(client, key, content)
        assert response.status_code == 422, content
        assert response.json()["type"].endswith("fichier-illisible")
        assert expected in response.json()["erreurs"][0]["message"]


def test_a_zip_bomb_is_refused_within_a_second(client, caller, engine):
    _, key = caller
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    started = time.perf_counter()
    response = send(client, key, out.getvalue(), name="bombe.xlsx")
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 422
    assert count(engine, Submission) == 0


def test_future_month_refused_current_month_warned(client, caller):
    _, key = caller
    now = datetime.now()
    running = f"{now.year}-{now.month:02d}"
    future = f"{now.year + 1}-{now.month:02d}"
    content = f"departement;mois;type_incident;nombre\n93;{future};depot_impossible;4\n"
    refused = send(client, key, content.encode()).json()["erreurs"][0]
    assert (refused["ligne"], refused["colonne"]) == (2, "mois")
    assert "futur" in refused["message"]
    content = f"departement;mois;type_incident;nombre\n93;{running};depot_impossible;4\n"
    preview = send(client, key, content.encode(), dry_run="true").json()
    [warning] = preview["avertissements"]
    assert (warning["ligne"], warning["colonne"]) == (2, "mois")
    assert "pas terminé" in warning["message"]


def test_dry_run_does_not_use_the_idempotency_key(client, caller, engine):
    _, key = caller
    content = FRENCH_FILE.encode("cp1252")
    idem = {"Idempotency-Key": "envoi-1"}
    assert send(client, key, content, dry_run="true", headers=idem).status_code == 200
    first = send(client, key, content, headers=idem)
    assert first.status_code == 201, first.text
    again = send(client, key, content, headers=idem)
    assert again.status_code == 201 and again.headers["Idempotency-Replayed"] == "true"
    assert again.json() == first.json()
    assert count(engine, Submission) == 1
    # Same on the JSON route.
    rows = {
        "lignes": [
            {
                "departement": "93",
                "mois": "2025-05",
                "type_incident": "depot_impossible",
                "nombre": 1,
            }
        ]
    }
    json_idem = {**bearer(key), "Idempotency-Key": "json-1"}
    assert (
        client.post("/v1/soumissions?dry_run=true", json=rows, headers=json_idem).status_code == 200
    )
    assert client.post("/v1/soumissions", json=rows, headers=json_idem).status_code == 201


def test_file_over_the_limit_is_413(db_url, engine):
    settings = ApiSettings(
        environment="test",
        database_url=db_url,
        api_max_file_bytes=2048,
        api_rate_limit="1000/minute",
    )
    org = make_org(engine)
    key = make_key(engine, settings, org)
    with make_client(settings) as client:
        response = send(client, key, b"departement;mois;type_incident;nombre\n" + b"x" * 4096)
    assert response.status_code == 413
    assert count(engine, Submission) == 0


def test_uploads_count_against_the_rate_limit(db_url, engine):
    settings = ApiSettings(environment="test", database_url=db_url, api_rate_limit="2/minute")
    org = make_org(engine)
    key = make_key(engine, settings, org)
    with make_client(settings) as client:
        statuses = [
            send(client, key, FRENCH_FILE.encode("cp1252"), dry_run="true").status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


def test_the_file_route_is_a_path_of_its_own(client, caller) -> None:
    """Found by schemathesis: GET /v1/soumissions/fichier reached the GET of a submission id
    and answered 422 « doit être un entier »; a method the path lacks is a 405 listing POST."""
    _, key = caller
    response = client.get("/v1/soumissions/fichier", headers=bearer(key))
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert client.get("/v1/soumissions/-1", headers=bearer(key)).status_code == 422
