"""What an association sent, holds and owes: withdrawal, holdings, cell history, corrections
with a reason, completeness, templates, and isolation between organisations."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlmodel import Session

from observatoire.domain.periods import current_month, previous_month
from observatoire.store.models import Organisation, Publication
from observatoire.submissions.export import safe_cell
from tests.support.factories import bearer, make_client, make_key, make_org

CELL = {"departement": "93", "mois": "2025-03", "type_incident": "rdv_indisponible"}


@pytest.fixture
def caller(engine, settings):
    org = make_org(engine)
    return org, make_key(engine, settings, org)


@pytest.fixture
def client(settings):
    with make_client(settings) as client:
        yield client


def send(client, key, rows, **params):
    response = client.post(
        "/v1/soumissions", json={"lignes": rows}, params=params, headers=bearer(key)
    )
    assert response.status_code == 201, response.text
    return response.json()["soumission_id"]


def held(client, key, **filters):
    return client.get("/v1/valeurs", params=filters, headers=bearer(key)).json()


def test_withdrawal_restores_the_previous_value_or_not_reported(client, caller):
    _, key = caller
    other = {**CELL, "departement": "75"}
    first = send(client, key, [{**CELL, "nombre": 5}])
    second = send(client, key, [{**CELL, "nombre": 9}, {**other, "nombre": 3}])
    assert held(client, key)["count"] == 2

    response = client.post(
        f"/v1/soumissions/{second}/retrait", json={"motif": "envoyé deux fois"}, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    assert (response.json()["restaurees"], response.json()["effacees"]) == (1, 1)
    values = held(client, key)
    # Back to the value before the batch, and « not reported » (no value, not 0) for the other.
    assert [(v["departement"], v["nombre"], v["soumission_id"]) for v in values["data"]] == [
        ("93", 5, first)
    ]
    listing = client.get("/v1/soumissions", headers=bearer(key)).json()["data"]
    assert [(s["id"], s["statut"], s["motif_retrait"]) for s in listing] == [
        (second, "retiree", "envoyé deux fois"),
        (first, "active", None),
    ]
    again = client.post(
        f"/v1/soumissions/{second}/retrait", json={"motif": "encore"}, headers=bearer(key)
    )
    assert again.status_code == 409
    history = client.get("/v1/valeurs/historique", params=other, headers=bearer(key)).json()
    assert history["nombre"] is None
    assert [(c["action"], c["ancien_nombre"], c["nouveau_nombre"]) for c in history["data"]] == [
        ("creation", None, 3),
        ("retrait", 3, None),
    ]
    assert history["data"][1]["motif"] == "envoyé deux fois"
    # The cell is new again when sent after the withdrawal.
    preview = client.post(
        "/v1/soumissions?dry_run=true",
        json={"lignes": [{**other, "nombre": 3}]},
        headers=bearer(key),
    ).json()
    assert preview["lignes"][0]["statut"] == "nouvelle"


def test_a_cell_changed_by_a_later_batch_keeps_its_later_value(client, caller):
    _, key = caller
    mistaken = send(client, key, [{**CELL, "nombre": 5}])
    send(client, key, [{**CELL, "nombre": 8}])
    done = client.post(
        f"/v1/soumissions/{mistaken}/retrait", json={"motif": "erreur"}, headers=bearer(key)
    ).json()
    assert (done["restaurees"], done["effacees"], done["conservees"]) == (0, 0, 1)
    assert held(client, key)["data"][0]["nombre"] == 8


def test_a_correction_with_a_reason_appears_in_the_history(client, caller):
    _, key = caller
    send(client, key, [{**CELL, "nombre": 5}])
    corrected = client.post(
        "/v1/soumissions",
        json={"lignes": [{**CELL, "nombre": 6}], "motif": "recompté au guichet"},
        headers=bearer(key),
    ).json()
    assert corrected["lignes"][0]["statut"] == "modifiee"
    assert corrected["lignes"][0]["ancien_nombre"] == 5
    history = client.get("/v1/valeurs/historique", params=CELL, headers=bearer(key)).json()
    assert history["nombre"] == 6
    last = history["data"][-1]
    assert (last["action"], last["ancien_nombre"], last["nouveau_nombre"]) == (
        "modification",
        5,
        6,
    )
    assert (last["motif"], last["cle"], last["soumission_id"]) == (
        "recompté au guichet",
        key.prefix,
        corrected["soumission_id"],
    )


def test_holdings_filter_and_download_as_csv_that_loads_back(client, caller):
    _, key = caller
    send(
        client,
        key,
        [
            {**CELL, "nombre": 5},
            {**CELL, "mois": "2025-04", "nombre": 7},
            {**CELL, "departement": "2A", "nombre": 1},
        ],
    )
    assert held(client, key, mois="2025-04")["count"] == 1
    by_dep = held(client, key, departement="2A")["data"]
    assert [(v["departement_nom"], v["type_libelle"]) for v in by_dep] == [
        ("Corse-du-Sud", "Rendez-vous indisponible")
    ]
    csv_response = client.get("/v1/valeurs?format=csv", headers=bearer(key))
    assert csv_response.headers["content-type"].startswith("text/csv")
    lines = csv_response.text.splitlines()
    assert lines[0] == "departement;mois;type_incident;nombre" and len(lines) == 4
    back = client.post(
        "/v1/soumissions/fichier?dry_run=true",
        files={"fichier": ("valeurs.csv", csv_response.content)},
        headers=bearer(key),
    ).json()
    assert back["resume"]["inchangees"] == 3
    bad = client.get("/v1/valeurs?mois=2025-13", headers=bearer(key))
    assert bad.status_code == 422


def test_no_exported_text_cell_can_start_a_formula():
    for text in ("=1+1", "+33", "-2", "@SUM(A1)"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("93") == "93" and safe_cell(12) == 12


def test_completeness_lists_sent_missing_and_running_months(client, caller, engine):
    org, key = caller
    today = datetime.now(UTC).date()
    running = current_month(today)
    last = previous_month(running)
    before = previous_month(last)
    start = previous_month(before)
    with Session(engine) as session:
        row = session.get(Organisation, org.id)
        row.debut = start
        session.add(row)
        session.commit()
    send(client, key, [{**CELL, "mois": before, "nombre": 4}])
    body = client.get("/v1/completude", headers=bearer(key)).json()
    statuses = {m["mois"]: m["statut"] for m in body["mois"]}
    assert body["debut"] == start and body["mois_courant"] == running
    assert statuses == {start: "manquant", before: "envoye", last: "manquant", running: "en_cours"}
    assert body["manquants"] == [start, last]
    sent = next(m for m in body["mois"] if m["mois"] == before)
    assert sent["publication"]["type"] == "mensuelle"
    assert "publication mensuelle du" in body["message"]
    assert client.get("/v1/organisation", headers=bearer(key)).json()["debut"] == start


def test_a_correction_of_a_published_month_waits_for_the_consolidated_publication(
    client, caller, engine
):
    _, key = caller
    send(client, key, [{**CELL, "nombre": 4}])
    with Session(engine) as session:
        session.add(
            Publication(
                publiee_le=datetime.now(UTC) - timedelta(minutes=5),
                donnees_jusqu_a="2025-06",
                premier_mois="2025-01",
                seuil=11,
                cellules=0,
                cellules_secretes=0,
                associations=1,
                soumissions=1,
                taxonomie_version="test",
                contenu=b"",
                valeurs_reelles=b"",
            )
        )
        session.commit()
    send(client, key, [{**CELL, "nombre": 6}], motif="correction")
    body = client.get("/v1/completude", headers=bearer(key)).json()
    march = next(m for m in body["mois"] if m["mois"] == "2025-03")
    assert march["publication"]["type"] == "consolidee"
    assert body["message"].startswith("votre correction paraîtra dans la publication consolidée")
    coverage = client.get("/v1/couverture").json()
    assert coverage["donnees_jusqu_a"] == "2025-06"
    assert {"mois": "2025-03", "associations": 1} in coverage["data"]


def test_templates_load_back_as_they_come_and_filled_in(client, caller, engine):
    _, key = caller
    csv_template = client.get("/v1/modeles/soumission.csv")
    assert csv_template.status_code == 200
    xlsx_template = client.get("/v1/modeles/soumission.xlsx")
    assert xlsx_template.status_code == 200
    for name, content in (("m.csv", csv_template.content), ("m.xlsx", xlsx_template.content)):
        preview = client.post(
            "/v1/soumissions/fichier?dry_run=true",
            files={"fichier": (name, content)},
            headers=bearer(key),
        )
        assert preview.status_code == 200, preview.text
        assert preview.json()["resume"]["lignes"] == 1

    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_template.content))
    sheet, reference = workbook["Comptages"], workbook["Référentiel"]
    codes = [row[0] for row in reference.iter_rows(min_row=2, values_only=True) if row[0]]
    assert "2A" in codes and "975" not in codes
    definitions = [row[5] for row in reference.iter_rows(min_row=2, values_only=True) if row[5]]
    assert len(definitions) == 17
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(ref.startswith("A2") for ref in lists) and any(ref.startswith("C2") for ref in lists)
    sheet.append(["2A", "2025-05", "perte_logement", 3])
    filled = io.BytesIO()
    workbook.save(filled)
    stored = client.post(
        "/v1/soumissions/fichier",
        files={"fichier": ("rempli.xlsx", filled.getvalue())},
        headers=bearer(key),
    )
    assert stored.status_code == 201, stored.text
    assert stored.json()["resume"]["nouvelles"] == 2


def test_calendar_states_the_policy(client):
    body = client.get("/v1/calendrier?nombre=4").json()
    assert (body["jour_mensuel"], body["jour_consolide"]) == (5, 20)
    assert len(body["prochaines"]) == 4
    assert {p["type"] for p in body["prochaines"]} == {"mensuelle", "consolidee"}
    assert client.get("/v1/calendrier?nombre=99").status_code == 422


def test_another_organisations_ids_and_cells_are_404_on_every_route(client, engine, settings):
    org_a, org_b = make_org(engine), make_org(engine)
    key_a, key_b = make_key(engine, settings, org_a), make_key(engine, settings, org_b)
    b_id = send(client, key_b, [{**CELL, "nombre": 5}])
    retrait = client.post(
        f"/v1/soumissions/{b_id}/retrait", json={"motif": "pas à moi"}, headers=bearer(key_a)
    )
    assert retrait.status_code == 404
    assert client.get(f"/v1/soumissions/{b_id}", headers=bearer(key_a)).status_code == 404
    history = client.get("/v1/valeurs/historique", params=CELL, headers=bearer(key_a))
    assert history.status_code == 404
    assert held(client, key_a) == {"data": [], "count": 0}
    assert client.get("/v1/valeurs?format=csv", headers=bearer(key_a)).text.count("\n") == 1
    assert client.get("/v1/soumissions", headers=bearer(key_a)).json()["count"] == 0
    completeness = client.get("/v1/completude", headers=bearer(key_a)).json()
    assert all(m["cellules"] == 0 for m in completeness["mois"])
    assert client.get("/v1/organisation", headers=bearer(key_a)).json()["slug"] == org_a.slug
    assert held(client, key_b)["count"] == 1  # B's value untouched
    for path in ("/v1/valeurs", "/v1/completude", "/v1/organisation"):
        assert client.get(path).status_code == 401


def test_wrong_revoked_and_expired_keys_get_a_clear_401(client, engine, settings):
    from observatoire.submissions.keys import issue_key, revoke_key

    org = make_org(engine)
    expired = issue_key(
        engine, org.slug, settings.effective_pepper, expires_at=datetime.now(UTC) - timedelta(1)
    )
    assert held(client, expired.key)["type"].endswith("cle-expiree")
    revoked = make_key(engine, settings, org)
    revoke_key(engine, revoked.prefix)
    answer = client.get("/v1/valeurs", headers=bearer(revoked))
    assert answer.status_code == 401 and "révoquée" in answer.json()["detail"]
    wrong = client.get("/v1/valeurs", headers=bearer(revoked.key[:-4] + "abcd"))
    assert wrong.status_code == 401 and wrong.json()["type"].endswith("cle-invalide")
    valid = make_key(engine, settings, org)  # the expired key no longer counts as active
    assert client.get("/v1/valeurs", headers=bearer(valid)).status_code == 200


def test_months_before_the_declared_start_are_warned(client, caller, engine):
    org, key = caller
    with Session(engine) as session:
        row = session.get(Organisation, org.id)
        row.debut = "2025-06"
        session.add(row)
        session.commit()
    preview = client.post(
        "/v1/soumissions?dry_run=true",
        json={"lignes": [{**CELL, "nombre": 1}]},
        headers=bearer(key),
    ).json()
    [warning] = preview["avertissements"]
    assert (warning["ligne"], warning["colonne"], warning["valeur"]) == (2, "mois", "2025-03")
    assert "2025-06" in warning["message"]
