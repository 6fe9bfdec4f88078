"""Replays of public reads: the same bytes and headers as the full stack, logged and counted,
never outliving a publication, never for private or non-GET requests."""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from asgi_correlation_id.middleware import is_valid_uuid4
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.logs import configure_logging
from api.main import create_app
from api.replay import ReplayMiddleware, query_key, uuid4_hex
from api.settings import ApiSettings
from observatoire.store.db import make_engine
from tests.support.factories import bearer, make_key, make_org
from tests.support.published_fixture import store_publication

STATS = "/v1/statistiques?niveau=departement&type=tous&periode=2024"
PUBLIC_PATHS = [
    STATS,
    "/v1/statistiques?niveau=region&type=tous&periode=2024-T2&format=csv",
    "/v1/statistiques/serie?territoire=93&pas=trimestre",
    "/v1/statistiques/types?territoire=FR&periode=2024",
    "/v1/publications",
    "/v1/publications/1",
    "/v1/departements",
    "/v1/types-incident",
    "/v1/carte",
]
PLAIN = {"Accept-Encoding": "identity"}
VALID_ID = "0f9a3a3e6a0e4b7c9d5e2f1a0b3c4d5e"


@dataclass
class Served:
    client: TestClient
    app: FastAPI
    engine: Engine
    settings: ApiSettings
    built: list[tuple]  # type: ignore[type-arg]  # keys the ResponseCache rendered or served


def _serve(settings: ApiSettings, engine: Engine) -> Iterator[Served]:
    app = create_app(settings)
    cache = app.state.response_cache
    built: list[tuple] = []  # type: ignore[type-arg]
    respond = cache.respond

    def spying_respond(request, cube, key, **kwargs):  # type: ignore[no-untyped-def]
        built.append(key)
        return respond(request, cube, key, **kwargs)

    cache.respond = spying_respond
    with TestClient(app) as client:
        _wait_for(client, lambda: client.get("/v1/publications").json()["count"] > 0)
        if settings.api_replay_enabled:
            replay_layer(app).replays.clear()  # forget the answers of the wait
        yield Served(client, app, engine, settings, built)


def _wait_for(client: TestClient, ready) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while not ready():
        assert time.monotonic() < deadline, "publication never loaded"
        time.sleep(0.05)


def _settings(sqlite_factory, **overrides) -> ApiSettings:  # type: ignore[no-untyped-def]
    return ApiSettings(
        environment="test",
        database_url=sqlite_factory.new(),
        publication_refresh_s=0.05,
        api_rate_limit="10000/minute",
        **overrides,
    )


@pytest.fixture
def served(sqlite_factory) -> Iterator[Served]:
    """An app with the replay layer over a database holding one fixture publication."""
    settings = _settings(sqlite_factory)
    engine = make_engine(settings.effective_database_url, settings)
    store_publication(engine)
    yield from _serve(settings, engine)
    engine.dispose()


@pytest.fixture
def full_stack(served: Served) -> Iterator[Served]:
    """The same database, served by an app without the replay layer."""
    settings = served.settings.model_copy(update={"api_replay_enabled": False})
    yield from _serve(settings, served.engine)


def replay_layer(app: FastAPI) -> ReplayMiddleware:
    layer = app.middleware_stack
    while not isinstance(layer, ReplayMiddleware):
        layer = layer.app  # type: ignore[union-attr]
    return layer


def comparable(response) -> list[tuple[bytes, bytes]]:  # type: ignore[no-untyped-def]
    """Response headers in order, less the request id (new for every request)."""
    return [(n, v) for n, v in response.headers.raw if n.lower() != b"x-request-id"]


@pytest.mark.parametrize("headers", [PLAIN, {}, {"Origin": "https://exemple.org"}])
def test_a_replay_is_the_full_stack_answer_byte_for_byte(served, full_stack, headers) -> None:
    for path in PUBLIC_PATHS:
        reference = full_stack.client.get(path, headers=headers)
        first = served.client.get(path, headers=headers)
        again = served.client.get(path, headers=headers)
        assert reference.status_code == first.status_code == again.status_code == 200, path
        assert reference.content == first.content == again.content, path
        assert comparable(reference) == comparable(first) == comparable(again), path
        ids = {r.headers["x-request-id"] for r in (reference, first, again)}
        assert len(ids) == 3
    # Every statistics answer was rendered or served by the route once: the repeats were replays.
    assert len(served.built) == 4
    assert len(replay_layer(served.app).replays) == len(PUBLIC_PATHS)


def test_gzip_answers_are_replayed_as_gzip(served) -> None:
    first = served.client.get(STATS, headers={"Accept-Encoding": "gzip"})
    again = served.client.get(STATS, headers={"Accept-Encoding": "gzip"})
    plain = served.client.get(STATS, headers=PLAIN)
    assert first.headers["content-encoding"] == again.headers["content-encoding"] == "gzip"
    assert comparable(first) == comparable(again)
    assert first.content == again.content == plain.content
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] != again.headers["etag"]
    assert len(served.built) == 2


def test_cors_headers_follow_the_origin_of_each_request(served) -> None:
    anonymous = served.client.get(STATS, headers=PLAIN)
    cross = served.client.get(STATS, headers={**PLAIN, "Origin": "https://exemple.org"})
    again = served.client.get(STATS, headers=PLAIN)
    assert "access-control-allow-origin" not in anonymous.headers
    assert cross.headers["access-control-allow-origin"] == "*"
    assert "ETag" in cross.headers["access-control-expose-headers"]
    assert comparable(again) == comparable(anonymous)


def test_if_none_match_gets_the_304_of_the_full_stack(served, full_stack) -> None:
    etag = served.client.get(STATS, headers=PLAIN).headers["etag"]
    conditional = {**PLAIN, "If-None-Match": etag}
    reference = full_stack.client.get(STATS, headers=conditional)
    first = served.client.get(STATS, headers=conditional)
    again = served.client.get(STATS, headers=conditional)
    assert reference.status_code == first.status_code == again.status_code == 304
    assert again.content == b""
    assert comparable(reference) == comparable(first) == comparable(again)
    stale = served.client.get(STATS, headers={**PLAIN, "If-None-Match": '"autre"'})
    assert stale.status_code == 200 and stale.headers["etag"] == etag
    assert len(served.built) == 3


def test_replays_write_the_access_line_and_count_in_the_metrics(served) -> None:
    stream = io.StringIO()
    configure_logging(served.settings, stream)
    sent = [
        served.client.get(STATS, headers=PLAIN),
        served.client.get(STATS, headers={**PLAIN, "X-Request-ID": VALID_ID}),
        served.client.get(STATS, headers={**PLAIN, "X-Request-ID": "pas-un-uuid"}),
        served.client.get(STATS, headers={**PLAIN, "X-Request-ID": "pas-un-uuid"}),
    ]
    metrics = served.client.get("/metrics").text
    assert len(served.built) == 1
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [r for r in lines if r["logger"] == "observatoire.access"]
    assert [(r["method"], r["route"], r["path"], r["status"]) for r in access[:4]] == [
        ("GET", "/v1/statistiques", "/v1/statistiques", 200)
    ] * 4
    assert [r["request_id"] for r in access[:4]] == [r.headers["x-request-id"] for r in sent]
    assert sent[1].headers["x-request-id"] == VALID_ID
    assert all(is_valid_uuid4(r.headers["x-request-id"]) for r in sent)
    assert "pas-un-uuid" not in {r.headers["x-request-id"] for r in sent}
    refused = [r for r in lines if "failed validation" in r["message"]]
    assert len(refused) == 2  # the replay warns about a malformed id as the full stack does
    assert all(r["duration_ms"] >= 0 for r in access)
    total = 'http_requests_total{handler="/v1/statistiques",method="GET",status="2xx"}'
    assert f"{total} 4.0" in metrics
    size = 'http_response_size_bytes_sum{handler="/v1/statistiques"}'
    assert f"{size} {4 * len(sent[0].content)}.0" in metrics


def test_a_new_publication_is_never_answered_by_an_old_replay(served) -> None:
    before = served.client.get(STATS, headers=PLAIN)
    assert served.client.get(STATS, headers=PLAIN).headers["etag"] == before.headers["etag"]
    listed = served.client.get("/v1/publications").json()
    new_id = store_publication(served.engine, seed=8)
    _wait_for(
        served.client,
        lambda: served.client.get("/v1/publications").json()["data"][0]["id"] == new_id,
    )
    after = served.client.get(STATS, headers=PLAIN)
    assert after.headers["x-publication-id"] == str(new_id) != before.headers["x-publication-id"]
    assert after.headers["etag"] != before.headers["etag"]
    assert after.content != before.content
    assert served.client.get("/v1/publications").json()["count"] == listed["count"] + 1
    explicit = served.client.get(STATS + f"&publication={listed['data'][0]['id']}")
    assert explicit.json()["data"] == before.json()["data"]


def test_private_unsafe_and_unknown_requests_take_the_full_stack(served) -> None:
    key = make_key(served.engine, served.settings, make_org(served.engine))
    for _ in range(2):
        assert served.client.get("/v1/soumissions", headers=bearer(key)).status_code == 200
        assert served.client.get(STATS, headers={**PLAIN, **bearer(key)}).status_code == 200
        refused = served.client.post(STATS, json={})
        assert refused.status_code == 405 and "GET" in refused.headers["allow"]
        assert served.client.get("/v1/statistiques?niveau=canton").status_code == 422
        assert served.client.get("/v1/publications/999").status_code == 404
        assert served.client.head("/v1/departements").status_code in (200, 405)
    assert replay_layer(served.app).replays == {}
    assert len(served.built) == 2  # both GETs with credentials reached the route


def test_query_order_does_not_matter_but_repeated_names_keep_theirs(served) -> None:
    served.client.get("/v1/statistiques?niveau=region&type=tous&periode=2024", headers=PLAIN)
    swapped = served.client.get(
        "/v1/statistiques?periode=2024&type=tous&niveau=region", headers=PLAIN
    )
    assert len(served.built) == 1 and swapped.json()["requete"]["niveau"] == "region"
    last_wins = served.client.get(
        "/v1/statistiques?niveau=region&periode=2024&niveau=france", headers=PLAIN
    )
    assert last_wins.json()["requete"]["niveau"] == "france"
    assert query_key(b"b=1&a=2&b=3") == (("a", "2"), ("b", "1"), ("b", "3"))
    assert query_key(b"a=%C3%A9&b") == (("a", "é"), ("b", ""))


def test_replay_can_be_switched_off(full_stack) -> None:
    full_stack.client.get(STATS)
    full_stack.client.get(STATS)
    layer = full_stack.app.middleware_stack
    while hasattr(layer, "app"):
        assert not isinstance(layer, ReplayMiddleware)
        layer = layer.app
    assert len(full_stack.built) == 2


def test_new_request_ids_are_uuid4_as_the_full_stack_makes_them() -> None:
    ids = [uuid4_hex() for _ in range(5000)]  # more than one pool of random bytes
    assert len(set(ids)) == len(ids)
    for value in ids[:600]:
        parsed = uuid.UUID(value)
        assert is_valid_uuid4(value) and value == parsed.hex
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    # The version and variant bits are fixed; every other bit is seen both set and clear.
    every_bit, fixed = (1 << 128) - 1, (0xF000 << 64) | (0xC000 << 48)
    set_seen = clear_seen = 0
    for value in ids:
        bits = int(value, 16)
        assert bits & fixed == 4 << 76 | 0x8000 << 48
        set_seen |= bits
        clear_seen |= ~bits & every_bit
    assert set_seen | fixed == every_bit and clear_seen | fixed == every_bit


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_process_never_hands_out_the_ids_of_its_parent() -> None:
    uuid4_hex()  # the pool holds bytes the child would otherwise share
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, uuid4_hex().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    assert is_valid_uuid4(child) and child != uuid4_hex()
