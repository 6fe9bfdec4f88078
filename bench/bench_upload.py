"""Benchmark: a 50,000-row XLSX sent through `POST /v1/soumissions/fichier` (preview, then
store) against `observatoire charger` on the same file, in the same run.

Usage: .venv/bin/python bench/bench_upload.py [--rows 50000] [--backend sqlite|postgresql]
The API runs as a real uvicorn process and is timed from the request to the full answer (upload,
reading, validation, storage, import summary with every row); the command is timed in this
process (`load_file`, what `observatoire charger` runs, without its start-up). Each path stores
into its own organisation, so that both create every cell. Target: API ≤ 1.5 × the command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from itertools import product
from pathlib import Path

import httpx
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_load import new_database  # noqa: E402 - the same fresh database

from observatoire.domain.periods import current_month, month_range, previous_month  # noqa: E402
from observatoire.domain.taxonomy import load_taxonomy  # noqa: E402
from observatoire.domain.territories import load_territories  # noqa: E402
from observatoire.loading.load import load_file  # noqa: E402
from observatoire.loading.table import LoaderSettings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.submissions.keys import issue_key  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402

PEPPER = "banc-d-essai-envoi-de-fichier"
TARGET_RATIO = 1.5


def write_xlsx(path: Path, rows: int) -> None:
    """A long-layout XLSX of `rows` distinct cells, months as dates, ending last month."""
    deps = [d.code for d in load_territories().departements]
    types = list(load_taxonomy().type_codes)
    per_month = len(deps) * len(types)
    last = previous_month(current_month(date.today()))
    months = [last]
    while len(months) * per_month < rows:
        months.insert(0, previous_month(months[0]))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Comptages")
    sheet.append(["Département", "Mois", "Type d'incident", "Nombre"])
    for i, (mois, dep, kind) in enumerate(product(months, deps, types)):
        if i == rows:
            break
        year, month = int(mois[:4]), int(mois[5:])
        sheet.append([dep, date(year, month, 1), kind, (i * 7919) % 2500])
    workbook.save(path)
    assert month_range(months[0], last)


def start_api(url: str, port: int) -> subprocess.Popen:
    """uvicorn on `url`, as `observatoire serve` starts it."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "API_KEY_PEPPER": PEPPER,
        "API_RATE_LIMIT": "100000/minute",
        "API_LOG_LEVEL": "WARNING",
        "API_MAX_FILE_BYTES": str(200 * 1024 * 1024),
    }
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:app_factory",
            "--no-access-log",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("the API did not start")


def run(backend: str, path: Path, rows: int, workdir: Path, port: int) -> None:
    """Time the command and the API on the same file; print both and their ratios."""
    url, drop = new_database(backend, workdir, prefix="bench_upload")
    settings = LoaderSettings(environment="test", database_url=url, api_key_pepper=PEPPER)
    engine = make_engine(url, settings)
    server = None
    try:
        create_organisation(engine, "commande", "Par la commande")
        create_organisation(engine, "navigateur", "Par l'API")
        key = issue_key(engine, "navigateur", settings.effective_pepper).key
        server = start_api(url, port)
        content = path.read_bytes()
        command: dict[str, float] = {}
        api: dict[str, float] = {}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:

            def by_api(dry: bool) -> float:
                started = time.perf_counter()
                response = client.post(
                    "/v1/soumissions/fichier",
                    params={"dry_run": str(dry).lower()},
                    files={"fichier": (path.name, content)},
                    headers={"Authorization": f"Bearer {key}"},
                )
                elapsed = time.perf_counter() - started  # answer received, before parsing it here
                assert response.status_code in (200, 201), response.text[:500]
                assert response.json()["resume"]["lignes"] == rows
                return elapsed

            def by_command(dry: bool) -> float:
                started = time.perf_counter()
                report = load_file(
                    path, org_slug="commande", engine=engine, settings=settings, dry_run=dry
                )
                assert report.ok, report.issues[:3]
                return time.perf_counter() - started

            # Alternated, best of `repeat` previews: the machine's load changes under us.
            for label, dry, repeat in (("aperçu", True, 2), ("envoi", False, 1)):
                for _ in range(repeat):
                    command[label] = min(command.get(label, 1e9), by_command(dry))
                    api[label] = min(api.get(label, 1e9), by_api(dry))
        load = os.getloadavg()[0]
        for label in ("aperçu", "envoi"):
            ratio = api[label] / command[label]
            verdict = "OK" if ratio <= TARGET_RATIO else "AU-DELÀ"
            print(
                f"{backend:<10} {label:<7} {rows} lignes XLSX : API {api[label]:6.2f} s, "
                f"commande {command[label]:6.2f} s, rapport {ratio:4.2f} "
                f"(cible ≤ {TARGET_RATIO}) {verdict}  [charge {load:.1f}]"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        engine.dispose()
        drop()  # type: ignore[operator]


def main() -> None:
    """Parse options, write the file, run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comptages.xlsx"
        started = time.perf_counter()
        write_xlsx(path, args.rows)
        print(
            f"fichier : {path.stat().st_size / 1e6:.1f} Mo écrit en "
            f"{time.perf_counter() - started:.1f} s"
        )
        run(args.backend, path, args.rows, Path(tmp), args.port)


if __name__ == "__main__":
    main()
