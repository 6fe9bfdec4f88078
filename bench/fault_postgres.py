"""Fault injection: PostgreSQL stops in the middle of 100 concurrent 500-row submissions.

Usage: .venv/bin/python bench/fault_postgres.py [--batches 100] [--rows 500] [--down-s 3]

On a fresh PostgreSQL database, starts the API (uvicorn, 2 workers), fires the submissions
concurrently (distinct Idempotency-Keys, distinct cells), stops the cluster with
`pg_ctlcluster … stop -m immediate` once a few batches are acknowledged, starts it again, then
checks: no partial batch (each stored submission has all its lines and revisions), no
acknowledged (201) batch lost, every failure a 503 (no 500, no hang), and the API answering
again without being restarted. PostgreSQL is started again even if the script fails.
Stops a shared cluster: run it when nobody else depends on it for a few seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.settings import ApiSettings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402
from observatoire.submissions.content import decode_lines  # noqa: E402
from observatoire.submissions.keys import issue_key  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402
from tests.support.factories import make_rows  # noqa: E402
from tests.support.live_servers import free_port, stop, wait_until_up  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_CTL = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main"]
REQUEST_TIMEOUT_S = 60.0
RECOVERY_TIMEOUT_S = 30.0
MONTHS = tuple(f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13))


def pg_ctl(action: str, *extra: str) -> None:
    """Start or stop the local cluster."""
    subprocess.run([*PG_CTL, action, *extra], check=False, capture_output=True, timeout=60)  # noqa: S603


def wait_for_postgres(timeout_s: float = 30) -> None:
    """Until the cluster accepts connections."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(PG_ADMIN, connect_timeout=2):
                return
        except psycopg.OperationalError:
            time.sleep(0.3)
    raise TimeoutError("PostgreSQL does not come back")


async def fire(
    base_url: str, key: str, batches: list[list[dict]], stop_after: int, down_s: float
) -> tuple[list[tuple[int, object]], float]:
    """Send every batch at once; stop PostgreSQL after `stop_after` acknowledgements."""
    acknowledged = asyncio.Event()
    done = 0
    outage = 0.0

    async def send(client: httpx.AsyncClient, i: int, rows: list[dict]) -> tuple[int, object]:
        nonlocal done
        try:
            r = await client.post(
                "/v1/soumissions",
                json={"lignes": rows},
                headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"lot-{i}"},
            )
            body = r.json() if r.headers.get("content-type", "").endswith("json") else r.text
            status = r.status_code
        except httpx.TimeoutException:
            status, body = -1, "délai dépassé"
        except httpx.HTTPError as exc:
            status, body = -2, repr(exc)
        if status == 201:
            done += 1
            if done >= stop_after:
                acknowledged.set()
        return status, body

    async def outage_() -> None:
        nonlocal outage
        with contextlib.suppress(TimeoutError):  # stop anyway if nothing is acknowledged
            await asyncio.wait_for(acknowledged.wait(), timeout=30)
        started = time.monotonic()
        await asyncio.to_thread(pg_ctl, "stop", "-m", "immediate")
        print(f"PostgreSQL arrêté après {done} lots acquittés")
        await asyncio.sleep(down_s)
        await asyncio.to_thread(pg_ctl, "start")
        outage = time.monotonic() - started
        print(f"PostgreSQL redémarré ({outage:.1f} s d'arrêt)")

    limits = httpx.Limits(max_connections=len(batches))
    async with httpx.AsyncClient(
        base_url=base_url, timeout=REQUEST_TIMEOUT_S, limits=limits
    ) as client:
        results = await asyncio.gather(
            outage_(), *(send(client, i, rows) for i, rows in enumerate(batches))
        )
    return list(results[1:]), outage


def check_database(dsn: str, rows_per_batch: int) -> tuple[dict[int, tuple[int, int, int]], int]:
    """Per stored submission: (declared lines, stored lines, revisions); and partial count."""
    with psycopg.connect(dsn) as conn:
        found = conn.execute(
            """
            SELECT s.id, s.lignes, c.contenu,
                   (SELECT count(*) FROM revision r WHERE r.submission_id = s.id)
            FROM submission s LEFT JOIN submission_content c ON c.submission_id = s.id
            """
        ).fetchall()
    stored = {
        sid: (declared, len(decode_lines(content)) if content else 0, revisions)
        for sid, declared, content, revisions in found
    }
    partial = sum(
        1 for declared, lines, revisions in stored.values()
        if not (declared == lines == revisions == rows_per_batch)
    )  # fmt: skip
    return stored, partial


def main() -> int:
    """Run the scenario, print its figures; non-zero exit when a property does not hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--down-s", type=float, default=3.0)
    parser.add_argument("--stop-after", type=int, default=5, help="201s before the stop.")
    args = parser.parse_args()

    dbname = f"obs_fault_{uuid.uuid4().hex[:8]}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{dbname}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / dbname
    workdir.mkdir(parents=True, exist_ok=True)
    process = None
    failed = True
    try:
        pg_ctl("start")
        wait_for_postgres()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        upgrade(url)
        env = {
            "ENVIRONMENT": "test",
            "DATABASE_URL": url,
            "API_RATE_LIMIT": "1000000/minute",
            "DB_POOL_TIMEOUT_S": "3",
            "DB_CONNECT_TIMEOUT_S": "3",
            "API_LOG_LEVEL": "WARNING",
        }
        settings = ApiSettings(**{k.lower(): v for k, v in env.items()})
        engine = make_engine(url, settings)
        org = create_organisation(engine, "asso-panne", "Association de la panne")
        key = issue_key(engine, org.slug, settings.effective_pepper).key
        engine.dispose()
        cells = make_rows(args.batches * args.rows, months=MONTHS)
        batches = [cells[i * args.rows : (i + 1) * args.rows] for i in range(args.batches)]

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = workdir / "api.log"
        out = log.open("wb")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:app_factory",
             "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--no-access-log"],
            cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until_up(f"{base_url}/healthz", process, log, 60)

        started = time.monotonic()
        results, outage = asyncio.run(fire(base_url, key, batches, args.stop_after, args.down_s))
        elapsed = time.monotonic() - started
        wait_for_postgres()

        # The same API processes must serve again (pool pre-ping drops dead connections).
        recovered_after = None
        deadline = time.monotonic() + RECOVERY_TIMEOUT_S
        t0 = time.monotonic()
        while time.monotonic() < deadline:
            try:
                r = httpx.get(
                    f"{base_url}/v1/soumissions",
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=10,
                )
                if r.status_code == 200:
                    recovered_after = time.monotonic() - t0
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        api_restarted = process.poll() is not None

        statuses = Counter(status for status, _ in results)
        acknowledged = {
            body["soumission_id"]
            for status, body in results
            if status == 201 and isinstance(body, dict)
        }
        stored, partial = check_database(dsn, args.rows)
        lost = sorted(acknowledged - set(stored))
        bad_failures = sum(n for s, n in statuses.items() if s not in (201, 503))

        print(f"CPU : {os.cpu_count()} ; {args.batches} lots de {args.rows} lignes en "
              f"{elapsed:.1f} s, arrêt de PostgreSQL {outage:.1f} s")  # fmt: skip
        print("statuts : " + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items())))
        print(f"lots acquittés (201) : {len(acknowledged)}")
        print(f"lots enregistrés en base : {len(stored)}")
        print(f"lots partiels : {partial}")
        print(f"lots acquittés perdus : {len(lost)}")
        print(f"échecs autres que 503 (500, délai, coupure) : {bad_failures}")
        print(
            "service rétabli sans redémarrer l'API : "
            + (f"oui, en {recovered_after:.1f} s" if recovered_after is not None else "NON")
            + (" (API redémarrée !)" if api_restarted else "")
        )
        failed = bool(partial or lost or bad_failures or recovered_after is None or api_restarted)
        if failed:
            print(f"journal de l'API : {log}")
        return 1 if failed else 0
    finally:
        if process is not None:
            stop(process)
        pg_ctl("start")  # whatever happened, leave PostgreSQL running
        try:
            wait_for_postgres()
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
        except Exception as exc:  # noqa: BLE001 - report, but keep the real outcome
            print(f"nettoyage incomplet : {exc}")
        if not failed:
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()


if __name__ == "__main__":
    sys.exit(main())
