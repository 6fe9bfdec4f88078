"""Public reads: this API vs Datasette (same SQLite data) vs a bare endpoint (same bytes).

Prints requests/s, p50 and p99 at 10 and 50 connections, and the ratios. Uses Debian's `wrk`
against 127.0.0.1 only; every run is bounded in time.

The API runs as production runs it (`API_SERVER_ARGS`, JSON access log at INFO written to a
file, Prometheus multi-process mode), twice: with the replay layer (the figure the targets are
about) and without it (`API_REPLAY_ENABLED=false`, the full stack on every request). The bare
endpoint gets the same uvicorn options and number of workers.

    .venv/bin/python bench/bench_public_api.py [--years 2] [--duration 10] [--workers 1] [--rounds 2]
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

from etl.commands.serve import API_SERVER_ARGS, wait_for  # noqa: E402
from etl.demo import DemoPlan, create_demo  # noqa: E402
from observatoire.settings import Settings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402

PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and of its children (uvicorn workers), in s."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # from field 3 (state) on
        except (OSError, IndexError):
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(url: str, connections: int, duration: int, pid: int) -> dict[str, float]:
    """Run wrk once; requests/s, p50 and p99 in ms, errors, server CPU per request in µs.

    CPU time per request is the figure least disturbed by other work on a shared machine."""
    cpu = cpu_seconds(pid)
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

    cpu = cpu_seconds(pid) - cpu
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "cpu_us": cpu / max(requests, 1) * 1e6,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers, for the API and the bare app"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="runs per target and connection count, alternating targets; the best is reported",
    )
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
    ports = {"api": free_port(), "full": free_port(), "datasette": free_port(), "bare": free_port()}
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test"}
    # Production logging and metrics: one JSON access line per request, multi-process metrics.
    api_env = {**env, "API_LOG_LEVEL": "INFO", "API_LOG_FORMAT": "json"}
    server_args = ["--workers", str(args.workers), "--log-level", "warning"]
    logs = {name: (work / f"{name}.log").open("wb") for name in ("api", "full")}
    procs = []
    for name, replay in (("api", "true"), ("full", "false")):
        metrics_dir = work / f"prometheus-{name}"
        metrics_dir.mkdir()
        procs.append(
            subprocess.Popen(
                [PY, "-m", "uvicorn", *API_SERVER_ARGS, "--port", str(ports[name]), *server_args],
                env={
                    **api_env,
                    "API_REPLAY_ENABLED": replay,
                    "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                },
                cwd=ROOT,
                stdout=logs[name],
                stderr=subprocess.STDOUT,
            )
        )
    procs.append(
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
        )
    )
    try:
        query = f"/v1/statistiques?niveau=departement&type=tous&periode={year}"
        api_url = f"http://127.0.0.1:{ports['api']}{query}"
        full_url = f"http://127.0.0.1:{ports['full']}{query}"
        for name, u in (("api", api_url), ("full", full_url)):
            if not wait_for(u, timeout_s=180):
                logs[name].flush()
                tail = (work / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{u} never answered:\n{tail}")
        body = httpx.get(api_url).content
        if httpx.get(full_url).content != body:
            raise RuntimeError("the API with and without replay disagree")
        (work / "body.json").write_bytes(body)
        procs.append(
            subprocess.Popen(  # noqa: S603
                [
                    PY,
                    "-m",
                    "uvicorn",
                    "bench.bare_app:app",
                    "--no-access-log",
                    "--port",
                    str(ports["bare"]),
                    *server_args,
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
            if not wait_for(u, timeout_s=180):
                raise RuntimeError(f"{u} never answered")
        print(
            f"response: {len(body)} bytes; cores: {os.cpu_count()}; wrk 1 thread, {args.duration} s "
            f"per run, best of {args.rounds} alternating runs per line"
        )
        print(
            f"uvicorn workers: {args.workers} for the API, {args.workers} for the bare app "
            "(both with --no-access-log); datasette: 1 process"
        )
        print(
            f"{'target':<14}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
            f"{'cpu µs/req':>12}"
        )
        results: dict[tuple[str, int], dict[str, float]] = {}
        api, full, datasette, bare = procs
        targets = (
            ("bare", bare_url, bare.pid),
            ("observatoire", api_url, api.pid),
            ("full stack", full_url, full.pid),
            ("datasette", ds_url, datasette.pid),
        )
        for conns in (10, 50):
            # Rounds alternate the targets (reversed order every other round) so that a burst
            # of load from elsewhere on the machine does not land on one target only.
            for round_ in range(args.rounds):
                for name, u, pid in targets if round_ % 2 == 0 else targets[::-1]:
                    r = wrk(u, conns, args.duration, pid)
                    best = results.get((name, conns))
                    if best is None or r["rps"] > best["rps"]:
                        results[(name, conns)] = r
            for name, _u, _pid in targets:
                r = results[(name, conns)]
                print(
                    f"{name:<14}{conns:>6}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
                    f"{r['errors']:>8}{r['cpu_us']:>12.0f}"
                )
        print("\nratios (targets: throughput >= 0.70 x bare, p99 <= 1.5 x bare, >= 20 x datasette)")
        for conns in (10, 50):
            o, b, d, f = (
                results[("observatoire", conns)],
                results[("bare", conns)],
                results[("datasette", conns)],
                results[("full stack", conns)],
            )
            print(
                f"  {conns} connections: throughput {o['rps'] / b['rps']:.2f} x bare, "
                f"p99 {o['p99'] / b['p99']:.2f} x bare, {o['rps'] / d['rps']:.1f} x datasette "
                f"(full stack: {f['rps'] / b['rps']:.2f} x bare, p99 {f['p99'] / b['p99']:.2f} x)"
            )
            print(
                f"      server CPU per request: {o['cpu_us'] / b['cpu_us']:.2f} x bare "
                f"(full stack: {f['cpu_us'] / b['cpu_us']:.2f} x bare)"
            )
        for name in ("api", "full"):
            logs[name].flush()
            lines = (
                (work / f"{name}.log").read_text(errors="replace").count('"observatoire.access"')
            )
            print(f"access log lines written by the API ({name}): {lines}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs.values():
            log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
