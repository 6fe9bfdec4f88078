"""Protection of the submission API: keys, organisations kept apart, body size, rate limit."""

from __future__ import annotations

import gzip

import pytest
from sqlalchemy import LargeBinary, String, cast, inspect, select, text
from sqlmodel import Session

from api.settings import ApiSettings
from observatoire.store.models import ApiKey, CurrentCount, Revision, Submission
from observatoire.submissions.keys import ApiKeyError, revoke_key
from tests.support.factories import bearer, make_client, make_key, make_org, make_rows

ROUTES = [("GET", "/v1/soumissions"), ("GET", "/v1/soumissions/1"), ("POST", "/v1/soumissions")]


@pytest.fixture
def client(settings):
    with make_client(settings) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_missing_bad_or_revoked_key_gives_401(client, engine, settings, method, path):
    key = make_key(engine, settings, make_org(engine))
    revoked = make_key(engine, settings, key.organisation_slug)
    revoke_key(engine, revoked.prefix)
    tampered = key.key[:-4] + ("AAAA" if not key.key.endswith("AAAA") else "BBBB")
    for headers in (
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        bearer("n-importe-quoi"),
        bearer(tampered),
        bearer(f"obs_{'0' * 12}_{'x' * 43}"),
        bearer(revoked),
    ):
        response = client.request(method, path, headers=headers, json={"lignes": make_rows(1)})
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 401
    assert client.get("/v1/soumissions", headers=bearer(key)).status_code == 200


def test_revocation_takes_effect_on_next_request(client, engine, settings):
    key = make_key(engine, settings, make_org(engine))
    assert client.get("/v1/soumissions", headers=bearer(key)).status_code == 200
    revoke_key(engine, key.prefix)
    assert client.get("/v1/soumissions", headers=bearer(key)).status_code == 401


def test_last_use_is_recorded(client, engine, settings):
    key = make_key(engine, settings, make_org(engine))
    client.get("/v1/soumissions", headers=bearer(key))
    with Session(engine) as session:
        used = session.execute(
            select(ApiKey.derniere_utilisation).where(ApiKey.prefix == key.prefix)
        ).scalar_one()
    assert used is not None


def test_rotation_allows_two_active_keys_only(engine, settings):
    org = make_org(engine)
    first, _second = make_key(engine, settings, org), make_key(engine, settings, org)
    with pytest.raises(ApiKeyError, match="révoquez"):
        make_key(engine, settings, org)
    revoke_key(engine, first.prefix)
    make_key(engine, settings, org)


def test_cross_organisation_matrix(client, engine, settings):
    org_a, org_b = make_org(engine), make_org(engine)
    key_a, key_b = make_key(engine, settings, org_a), make_key(engine, settings, org_b)
    shared_idem = {"Idempotency-Key": "meme-cle"}
    b_ids = [
        client.post(
            "/v1/soumissions",
            json={"lignes": make_rows(3, nombre=7)},
            headers={**bearer(key_b), **shared_idem},
        ).json()["soumission_id"]
    ]
    b_ids.append(
        client.post(
            "/v1/soumissions", json={"lignes": make_rows(2, nombre=8)}, headers=bearer(key_b)
        ).json()["soumission_id"]
    )
    b_before = _org_state(engine, org_b.id)

    for b_id in b_ids:
        for path in (f"/v1/soumissions/{b_id}", f"/v1/soumissions/{b_id}?page=1"):
            response = client.get(path, headers=bearer(key_a))
            assert response.status_code == 404
            assert "contenu" not in response.json()
    listing = client.get("/v1/soumissions?par_page=200", headers=bearer(key_a)).json()
    assert listing == {"data": [], "count": 0}
    # Same Idempotency-Key as B: A gets its own processing, never B's stored answer.
    own = client.post(
        "/v1/soumissions",
        json={"lignes": make_rows(3, nombre=1)},
        headers={**bearer(key_a), **shared_idem},
    )
    assert own.status_code == 201 and own.json()["soumission_id"] not in b_ids
    assert own.json()["resume"]["nouvelles"] == 3
    dry = client.post(
        "/v1/soumissions?dry_run=true", json={"lignes": make_rows(3)}, headers=bearer(key_a)
    )
    assert dry.json()["resume"]["nouvelles"] == 0  # A's own cells, not B's
    assert _org_state(engine, org_b.id) == b_before
    b_listing = client.get("/v1/soumissions", headers=bearer(key_b)).json()
    assert sorted(s["id"] for s in b_listing["data"]) == sorted(b_ids)


def _org_state(engine, organisation_id):
    with Session(engine) as session:
        cells = session.execute(
            select(CurrentCount.departement, CurrentCount.type_incident, CurrentCount.nombre)
            .where(CurrentCount.organisation_id == organisation_id)
            .order_by(CurrentCount.id)
        ).all()
        revisions = session.execute(
            select(Revision.id).where(Revision.organisation_id == organisation_id)
        ).all()
        submissions = session.execute(
            select(Submission.id).where(Submission.organisation_id == organisation_id)
        ).all()
    return cells, revisions, submissions


def test_no_plaintext_key_anywhere_in_the_database(client, engine, settings):
    key = make_key(engine, settings, make_org(engine))
    headers = {**bearer(key), "Idempotency-Key": "k1"}
    client.post("/v1/soumissions", json={"lignes": make_rows(2)}, headers=headers)
    client.get("/v1/soumissions", headers=bearer(key))
    secret = key.key.split("_", 2)[2]
    dumped = []
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                quoted = conn.dialect.identifier_preparer.quote
                column_sql = text(quoted(column["name"]))
                if isinstance(column["type"], LargeBinary):  # gzip values: look inside too
                    query = select(column_sql).select_from(text(quoted(table)))
                    blobs = [bytes(v) for (v,) in conn.execute(query) if v is not None]
                    dumped += [gzip.decompress(b).decode("latin-1") for b in blobs]
                    continue
                query = select(cast(column_sql, String)).select_from(text(quoted(table)))
                dumped += [str(v) for (v,) in conn.execute(query) if v is not None]
    assert dumped, "nothing dumped"
    assert key.prefix in "".join(dumped)  # the public prefix is stored, as expected
    assert not any(secret in value or key.key in value for value in dumped)


def test_oversized_body_gives_413_with_content_length_and_chunked(db_url, engine):
    settings = ApiSettings(environment="test", database_url=db_url, api_max_body_bytes=2048)
    key = make_key(engine, settings, make_org(engine))
    headers = {**bearer(key), "Content-Type": "application/json"}
    with make_client(settings) as client:
        # Refused from the Content-Length alone, even before authentication.
        declared = client.post(
            "/v1/soumissions", content=b"x" * 4096, headers={"Content-Type": "application/json"}
        )
        assert declared.status_code == 413
        assert declared.headers["content-type"].startswith("application/problem+json")

        def chunks():  # a generator body is sent chunked, without Content-Length
            for _ in range(64):
                yield b"y" * 512

        streamed = client.post("/v1/soumissions", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        small = client.post("/v1/soumissions", content=iter([b'{"lignes": []}']), headers=headers)
        assert small.status_code == 422  # read in full: under the limit
        assert streamed.json()["status"] == 413


def test_rate_limit_gives_429_with_retry_after(db_url, engine):
    settings = ApiSettings(environment="test", database_url=db_url, api_rate_limit="3/minute")
    key = make_key(engine, settings, make_org(engine))
    other = make_key(engine, settings, make_org(engine))
    with make_client(settings) as client:
        statuses = [
            client.get("/v1/soumissions", headers=bearer(key)).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        limited = client.post("/v1/soumissions", json={"lignes": []}, headers=bearer(key))
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert limited.json()["status"] == 429
        # The limit is per key.
        assert client.get("/v1/soumissions", headers=bearer(other)).status_code == 200
