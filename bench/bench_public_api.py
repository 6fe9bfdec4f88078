"""Public reads: this API vs Datasette (same SQLite data) vs a bare endpoint (same bytes).

Prints requests/s, p50 and p99 at 10 and 50 connections, and the ratios. Uses Debian's `wrk`
against 127.0.0.1 only; every run is bounded in time.

    .venv/bin/python bench/bench_public_api.py [--years 2] [--duration 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.commands.serve import wait_for  # noqa: E402
from etl.demo import DemoPlan, create_demo  # noqa: E402
from observatoire.settings import Settings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402

PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, connections: int, duration: int) -> dict[str, float]:
    """Run wrk once; requests/s, p50 and p99 in ms, errors."""
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, flags=re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="bench-public-"))
    db = work / "obs.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    settings = Settings(environment="test", database_url=url)
    engine = make_engine(url, settings)
    today = date(2026, 1, 15)
    plan = DemoPlan(f"{2026 - args.years}-01", "2025-12", monthly_publications=0)
    started = time.perf_counter()
    create_demo(engine, settings, plan, report=lambda _m: None, today=today)
    engine.dispose()
    rows = subprocess.run(
        ["sqlite3", str(db), "select count(*) from current_count"],  # noqa: S603,S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"data: {rows} current counts, {args.years} years, prepared in {time.perf_counter() - started:.0f} s"
    )
    year = "2025"
    ports = {"api": free_port(), "datasette": free_port(), "bare": free_port()}
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test", "API_LOG_LEVEL": "WARNING"}
    procs = [
        subprocess.Popen(
            [
                PY,
                "-m",
                "uvicorn",
                "--factory",
                "api.main:app_factory",
                "--port",  # noqa: S603
                str(ports["api"]),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env=env,
            cwd=ROOT,
        ),
        subprocess.Popen(
            [
                PY,
                "-m",
                "datasette",
                "serve",
                str(db),
                "-p",
                str(ports["datasette"]),  # noqa: S603
                "--setting",
                "sql_time_limit_ms",
                "10000",
            ],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        api_url = (
            f"http://127.0.0.1:{ports['api']}/v1/statistiques?niveau=departement&type=tous"
            f"&periode={year}"
        )
        if not wait_for(api_url):
            raise RuntimeError(f"{api_url} never answered")
        body = httpx.get(api_url).content
        (work / "body.json").write_bytes(body)
        procs.append(
            subprocess.Popen(  # noqa: S603
                [
                    PY,
                    "-m",
                    "uvicorn",
                    "bench.bare_app:app",
                    "--port",
                    str(ports["bare"]),
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                env={**env, "BARE_BODY_FILE": str(work / "body.json")},
                cwd=ROOT,
            )
        )
        sql = (
            "select departement as code, sum(nombre) as valeur from current_count "
            f"where mois between '{year}-01' and '{year}-12' group by departement order by departement"
        )
        ds_url = (
            f"http://127.0.0.1:{ports['datasette']}/obs.json?"
            + httpx.QueryParams({"sql": sql, "_shape": "array"}).__str__()
        )
        bare_url = f"http://127.0.0.1:{ports['bare']}/bare"
        for u in (ds_url, bare_url):
            if not wait_for(u):
                raise RuntimeError(f"{u} never answered")
        print(
            f"response: {len(body)} bytes; cores: {os.cpu_count()}; wrk 1 thread, {args.duration} s per run"
        )
        print(f"{'target':<12}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        results: dict[tuple[str, int], dict[str, float]] = {}
        for conns in (10, 50):
            for name, u in (("bare", bare_url), ("observatoire", api_url), ("datasette", ds_url)):
                r = wrk(u, conns, args.duration)
                results[(name, conns)] = r
                print(
                    f"{name:<12}{conns:>6}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['errors']:>8}"
                )
        print("\nratios (targets: throughput >= 0.70 x bare, p99 <= 1.5 x bare, >= 20 x datasette)")
        for conns in (10, 50):
            o, b, d = (
                results[("observatoire", conns)],
                results[("bare", conns)],
                results[("datasette", conns)],
            )
            print(
                f"  {conns} connections: throughput {o['rps'] / b['rps']:.2f} x bare, "
                f"p99 {o['p99'] / b['p99']:.2f} x bare, {o['rps'] / d['rps']:.1f} x datasette"
            )
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
