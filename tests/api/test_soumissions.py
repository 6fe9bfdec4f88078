"""`/v1/soumissions`: JSON and CSV batches, dry run, all-or-nothing, idempotency, reads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from observatoire.store.models import CurrentCount, IdempotencyRecord, Revision, Submission
from tests.support.factories import bearer, make_client, make_key, make_org, make_row, make_rows


def count(engine, model):
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


def test_json_batch_is_stored_and_summarised(client, caller, engine):
    _, key = caller
    response = client.post("/v1/soumissions", json={"lignes": make_rows(3)}, headers=bearer(key))
    assert response.status_code == 201, response.text
    body = response.json()
    assert {"dry_run", "soumission_id", "recue_le", "lignes", "resume", "avertissements"} <= set(
        body
    )
    assert body["resume"] == {"lignes": 3, "nouvelles": 3, "modifiees": 0, "inchangees": 0}
    assert count(engine, CurrentCount) == 3

    rows = make_rows(3)
    rows[2]["nombre"] = 0
    again = client.post("/v1/soumissions", json={"lignes": rows}, headers=bearer(key)).json()
    assert again["resume"] == {"lignes": 3, "nouvelles": 0, "modifiees": 1, "inchangees": 2}
    changed = [line for line in again["lignes"] if line["statut"] == "modifiee"]
    assert [(c["ligne"], c["ancien_nombre"], c["nombre"]) for c in changed] == [
        (4, make_rows(3)[2]["nombre"], 0)
    ]
    assert count(engine, Revision) == 4


def test_csv_batch_is_accepted(client, caller, engine):
    _, key = caller
    csv_text = (
        "departement;mois;type_incident;nombre\n"
        "93;2025-03;rdv_indisponible;12\n"
        "2A;2025-03;depot_impossible;0\n"
    )
    response = client.post(
        "/v1/soumissions",
        content=csv_text.encode(),
        headers={**bearer(key), "Content-Type": "text/csv; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["resume"]["nouvelles"] == 2
    assert count(engine, CurrentCount) == 2


def test_dry_run_answers_summary_and_writes_nothing(client, caller, engine):
    _, key = caller
    response = client.post(
        "/v1/soumissions?dry_run=true", json={"lignes": make_rows(4)}, headers=bearer(key)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["soumission_id"] is None and body["dry_run"] is True
    assert body["resume"]["nouvelles"] == 4
    assert count(engine, Submission) == count(engine, CurrentCount) == 0


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(client, caller, engine):
    _, key = caller
    rows = make_rows(5)
    rows[1]["departement"] = "20"
    rows[2]["nombre"] = 1.5
    rows[3]["mois"] = "2099-01"
    rows[4] = dict(rows[0])  # duplicate of line 1
    response = client.post("/v1/soumissions", json={"lignes": rows}, headers=bearer(key))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {"type", "title", "status", "detail", "erreurs"} <= set(problem)
    assert problem["status"] == 422
    assert [(e["ligne"], e["colonne"]) for e in problem["erreurs"]] == [
        (3, "departement"),
        (4, "nombre"),
        (5, "mois"),
        (6, "departement, mois, type_incident"),
    ]
    assert count(engine, Submission) == count(engine, CurrentCount) == 0


def test_csv_errors_are_at_their_file_line(client, caller):
    _, key = caller
    csv_text = "departement,mois,type_incident,nombre\n93,2025-03,rdv_indisponible,douze\n"
    response = client.post(
        "/v1/soumissions",
        content=csv_text,
        headers={**bearer(key), "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["ligne"] == 2  # header = line 1


def test_malformed_body_and_wrong_media_type(client, caller):
    _, key = caller
    response = client.post(
        "/v1/soumissions",
        content=b"{oops",
        headers={**bearer(key), "Content-Type": "application/json"},
    )
    assert response.status_code == 422 and response.json()["erreurs"]
    response = client.post(
        "/v1/soumissions", content=b"<x/>", headers={**bearer(key), "Content-Type": "text/xml"}
    )
    assert response.status_code == 415


def test_idempotent_retry_replays_first_response(client, caller, engine):
    _, key = caller
    headers = {**bearer(key), "Idempotency-Key": "lot-2025-03"}
    first = client.post("/v1/soumissions", json={"lignes": make_rows(2)}, headers=headers)
    retry = client.post("/v1/soumissions", json={"lignes": make_rows(2)}, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotency-Replayed"] == "true"
    assert count(engine, Submission) == 1

    other = client.post("/v1/soumissions", json={"lignes": make_rows(2, nombre=9)}, headers=headers)
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotence-autre-requete")
    assert count(engine, Submission) == 1


def test_idempotent_validation_failure_is_replayed_too(client, caller, engine):
    _, key = caller
    headers = {**bearer(key), "Idempotency-Key": "bad"}
    body = {"lignes": [make_row(departement="20")]}
    first = client.post("/v1/soumissions", json=body, headers=headers)
    retry = client.post("/v1/soumissions", json=body, headers=headers)
    assert first.status_code == retry.status_code == 422
    assert retry.json() == first.json()
    assert retry.headers["content-type"].startswith("application/problem+json")
    assert count(engine, IdempotencyRecord) == 1


def test_in_flight_idempotency_key_gives_409(client, caller, engine):
    org, key = caller
    from observatoire.submissions.idempotency import claim, fingerprint

    body = b'{"lignes": []}'
    claim(engine, org.id, "busy", fingerprint(body, "application/json", "False"))
    response = client.post(
        "/v1/soumissions",
        content=body,
        headers={**bearer(key), "Idempotency-Key": "busy", "Content-Type": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["status"] == 409


def test_abandoned_in_flight_claim_is_taken_over_by_a_retry(client, caller, engine):
    """A claim left in flight (database lost after the batch's commit) does not block forever."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from observatoire.store.db import write_session
    from observatoire.submissions.idempotency import claim, fingerprint

    org, key = caller
    body = json.dumps({"lignes": [make_row(nombre=12)]}).encode()
    first = claim(engine, org.id, "lost", fingerprint(body, "application/json", "False"))
    headers = {**bearer(key), "Idempotency-Key": "lost", "Content-Type": "application/json"}
    assert client.post("/v1/soumissions", content=body, headers=headers).status_code == 409
    with write_session(engine) as session:  # the claim is now older than the setting
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == first.record_id)
            .values(cree_le=datetime.now(UTC) - timedelta(hours=1))
        )
    retry = client.post("/v1/soumissions", content=body, headers=headers)
    assert retry.status_code == 201
    replay = client.post("/v1/soumissions", content=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == retry.json()
    assert count(engine, IdempotencyRecord) == 1


def test_list_is_paginated_and_get_shows_rows(client, caller):
    _, key = caller
    ids = [
        client.post(
            "/v1/soumissions", json={"lignes": make_rows(2, nombre=n)}, headers=bearer(key)
        ).json()["soumission_id"]
        for n in (1, 2, 3)
    ]
    page = client.get("/v1/soumissions?page=1&par_page=2", headers=bearer(key)).json()
    assert page["count"] == 3
    assert [s["id"] for s in page["data"]] == ids[::-1][:2]
    last = client.get("/v1/soumissions?page=2&par_page=2", headers=bearer(key)).json()
    assert [s["id"] for s in last["data"]] == [ids[0]]

    detail = client.get(f"/v1/soumissions/{ids[1]}", headers=bearer(key)).json()
    assert detail["cle"] == key.prefix
    assert [(r["ligne"], r["nombre"]) for r in detail["contenu"]] == [(2, 2), (3, 2)]
    missing = client.get("/v1/soumissions/999999", headers=bearer(key))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_request_validation_errors_are_french_problem_details(client, caller):
    _, key = caller
    response = client.get("/v1/soumissions?par_page=0", headers=bearer(key))
    assert response.status_code == 422
    problem = response.json()
    assert problem["erreurs"][0]["champ"] == "query.par_page"
    assert "trop petite" in problem["erreurs"][0]["raison"]


def test_openapi_documents_security_and_errors(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["CleApi"]["scheme"] == "bearer"
    post = spec["paths"]["/v1/soumissions"]["post"]
    assert {"401", "409", "413", "422", "429"} <= set(post["responses"])
    assert {"application/json", "text/csv"} <= set(post["requestBody"]["content"])
    assert post["security"] == [{"CleApi": []}]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"]}
    assert "ligne" in post["description"]


def test_every_path_calls_a_negative_number_negative_and_suggests(client, caller):
    _, key = caller
    csv_text = "departement;mois;type_incident;nombre\n93;2025-03;rdv_indisponible;-3\n"
    from_csv = client.post(
        "/v1/soumissions", content=csv_text, headers={**bearer(key), "Content-Type": "text/csv"}
    ).json()["erreurs"][0]
    assert (from_csv["ligne"], from_csv["colonne"]) == (2, "nombre")
    assert "négatif" in from_csv["message"]
    rows = [make_row(nombre=-3), make_row(departement="Paris", type_incident="rdv indisponible")]
    errors = client.post("/v1/soumissions", json={"lignes": rows}, headers=bearer(key)).json()
    found = {(e["ligne"], e["colonne"]): e for e in errors["erreurs"]}
    assert "négatif" in found[(2, "nombre")]["message"]
    assert found[(3, "departement")]["suggestion"] == "75"
    assert found[(3, "type_incident")]["suggestion"] == "rdv_indisponible"
