"""Concurrent submissions against a real uvicorn server: no lock errors, no lost rows."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlmodel import Session

from api.main import create_app
from observatoire.domain.territories import load_territories
from observatoire.store.models import CurrentCount, Revision, Submission
from tests.support.factories import bearer, make_key, make_org, make_row
from tests.support.stored import stored_lines


@pytest.fixture
def server_url(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def post_all(url, requests):
    """Send every (headers, json) at once from its own thread; return the responses."""
    barrier = threading.Barrier(len(requests))

    def send(args):
        headers, body = args
        with httpx.Client(base_url=url, timeout=120) as client:
            barrier.wait()
            return client.post("/v1/soumissions", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def count(engine, model):
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_twenty_concurrent_retries_store_one_batch(server_url, engine, settings):
    key = make_key(engine, settings, make_org(engine))
    headers = {**bearer(key), "Idempotency-Key": "meme-lot"}
    departements = [d.code for d in load_territories().departements][:29]
    body = {"lignes": [make_row(nombre=n, departement=d) for n, d in enumerate(departements)]}
    responses = post_all(server_url, [(headers, body)] * 20)
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, [r.text for r in responses if r.status_code >= 400]
    created = [r.json() for r in responses if r.status_code == 201]
    assert created and all(c == created[0] for c in created)
    assert count(engine, Submission) == 1
    assert len(stored_lines(engine)) == 29
    # Once the first has finished, a retry replays it.
    with httpx.Client(base_url=server_url) as client:
        replay = client.post("/v1/soumissions", json=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == created[0]


def test_fifty_concurrent_writers_lose_nothing(server_url, engine, settings):
    org = make_org(engine)
    keys = [make_key(engine, settings, org) for _ in range(2)]
    departements = [d.code for d in load_territories().departements]
    shared = [("75", "2025-02", t) for t in ("rdv_indisponible", "depot_impossible")]
    requests = []
    for i in range(50):
        own = (departements[i], "2025-01", "rdv_indisponible")
        overlap = (departements[(i + 1) % 50], "2025-01", "perte_emploi")
        cells = [own, overlap, *shared]
        rows = [
            {"departement": d, "mois": m, "type_incident": t, "nombre": i + 1} for d, m, t in cells
        ]
        requests.append((bearer(keys[i % 2]), {"lignes": rows}))
    responses = post_all(server_url, requests)
    errors = [r.text for r in responses if r.status_code != 201]
    assert errors == []
    assert count(engine, Submission) == 50
    assert len(stored_lines(engine)) == 200
    assert count(engine, CurrentCount) == 50 + 50 + 2

    with Session(engine) as session:
        revisions = session.execute(select(Revision).order_by(Revision.id)).scalars().all()
        current = {
            (c.departement, c.mois, c.type_incident): c.nombre
            for c in session.execute(select(CurrentCount)).scalars()
        }
    replayed: dict = {}
    for rev in revisions:  # every revision starts from the value the previous one left
        cell = (rev.departement, rev.mois, rev.type_incident)
        assert replayed.get(cell) == rev.ancienne_valeur
        replayed[cell] = rev.nouvelle_valeur
    assert replayed == current
    per_cell = Counter((r.departement, r.mois, r.type_incident) for r in revisions)
    for cell in shared:  # 50 distinct values: one creation and 49 corrections
        assert per_cell[cell] == 50
    summaries = [r.json() for r in responses]
    assert sum(s["resume"]["nouvelles"] for s in summaries) == len(current)
    assert sum(s["resume"]["modifiees"] for s in summaries) == len(revisions) - len(current)
