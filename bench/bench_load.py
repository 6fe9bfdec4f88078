"""Benchmark of `observatoire charger` on a large generated file.

Usage: .venv/bin/python bench/bench_load.py [--rows 1000000] [--backend sqlite|postgresql|both]
Generates a long-format CSV (`;`, cp1252, counts like `1 234`), loads it into a fresh database
and prints rows per second for reading, validation, storage and overall, then the CPU time of
this process and the machine's load average: on a shared machine wall times follow the load.

One organisation cannot report more than 101 départements × 17 types × the months since
`SUBMISSION_START_MONTH` distinct cells, so the benchmark moves the first accepted month back
(1,000,000 rows need about 580 months).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from observatoire.domain.periods import month_range  # noqa: E402
from observatoire.domain.taxonomy import load_taxonomy  # noqa: E402
from observatoire.domain.territories import load_territories  # noqa: E402
from observatoire.loading.load import load_file  # noqa: E402
from observatoire.loading.table import LoaderSettings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
LAST_MONTH = "2026-10"


def write_file(path: Path, rows: int) -> str:
    """A `;`-separated cp1252 file of `rows` distinct cells; returns its first month."""
    deps = [d.code for d in load_territories().departements]
    types = list(load_taxonomy().type_codes)
    per_month = len(deps) * len(types)
    months_needed = -(-rows // per_month)
    last_year, last = int(LAST_MONTH[:4]), int(LAST_MONTH[5:])
    total = last_year * 12 + last - 1 - (months_needed - 1)
    first = f"{total // 12:04d}-{total % 12 + 1:02d}"
    months = month_range(first, LAST_MONTH)
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write("Département;Mois;Type d'incident;Nombre\r\n")
        for i, (mois, dep, kind) in enumerate(product(months, deps, types)):
            if i == rows:
                break
            n = (i * 7919) % 2500
            shown = f"{n // 1000} {n % 1000:03d}" if n >= 1000 else str(n)
            out.write(f"{dep};{mois};{kind};{shown}\r\n")
    return first


def new_database(backend: str, workdir: Path, prefix: str = "bench_load") -> tuple[str, callable]:
    """URL of a fresh migrated database, and how to drop it (bench_upload.py uses it too)."""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
        upgrade(url)
        return url, lambda: None
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    upgrade(url)
    return url, drop


def run(backend: str, path: Path, rows: int, first: str, workdir: Path) -> None:
    """Load the file twice (creation, then an unchanged resubmission) and print rates."""
    url, drop = new_database(backend, workdir)
    settings = LoaderSettings(environment="test", database_url=url, submission_start_month=first)
    engine = make_engine(url, settings)
    try:
        create_organisation(engine, "bench", "Banc d'essai")
        for label in ("création", "renvoi identique"):
            started, cpu = time.perf_counter(), time.process_time()
            report = load_file(
                path, org_slug="bench", engine=engine, settings=settings, today=date(2026, 11, 1)
            )
            overall = time.perf_counter() - started
            cpu = time.process_time() - cpu
            assert report.ok, report.issues[:5]
            s = report.summary
            print(
                f"{backend:<10} {label:<17} {rows:>9} lignes  "
                + "  ".join(
                    f"{stage} {seconds:6.2f} s ({rows / seconds:>9,.0f}/s)"
                    for stage, seconds in report.timings.items()
                )
                + f"  total {overall:6.2f} s ({rows / overall:>9,.0f}/s)"
                + f"  [{report.store_path}: +{s.creees} ~{s.modifiees} ={s.inchangees}]"
                + f"  [CPU client {cpu:5.1f} s, charge {os.getloadavg()[0]:.1f}]"
            )
    finally:
        engine.dispose()
        drop()


def main() -> None:
    """Parse options, generate the file, run each backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "signalements.csv"
        started = time.perf_counter()
        first = write_file(path, args.rows)
        print(
            f"fichier : {args.rows} lignes, {path.stat().st_size / 1e6:.1f} Mo, "
            f"mois {first} à {LAST_MONTH}, généré en {time.perf_counter() - started:.1f} s"
        )
        for backend in backends:
            run(backend, path, args.rows, first, workdir)


if __name__ == "__main__":
    main()
