"""Public reads: this API vs Datasette (same SQLite data) vs a bare endpoint (same bytes).

Prints requests/s, p50 and p99 at 10 and 50 connections, and the ratios. Uses Debian's `wrk`
against 127.0.0.1 only; every run is bounded in time.

The API runs as production runs it (`API_SERVER_ARGS`, JSON access log at INFO written to a
file, Prometheus multi-process mode), twice: with the replay layer (the figure the targets are
about) and without it (`API_REPLAY_ENABLED=false`, the full stack on every request). The bare
endpoint gets the same uvicorn options, number of workers, event loop and HTTP parser (uvicorn's
`auto`: uvloop and httptools when installed, in the same environment for both).

Each target gets a warm-up run, then `--rounds` measured runs per connection count, the targets
alternating (in reverse order every other round) so that a burst of load from elsewhere on the
machine does not land on one target only. Figures are medians over the rounds; the ratios to
the bare endpoint are the medians of the per-round ratios (each round measures both within a
minute, which cancels slow drifts of the machine's load).

    .venv/bin/python bench/bench_public_api.py [--years 2] [--duration 10] [--workers 1]
        [--rounds 5] [--warmup 2] [--database PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
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
from statistics import median

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
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": rps,
        "cpu_us": cpu / max(requests, 1) * 1e6,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median of each figure over the runs (errors: their sum)."""
    summary = {key: median(r[key] for r in runs) for key in ("rps", "cpu_us", "p50", "p99")}
    summary["errors"] = sum(r["errors"] for r in runs)
    return summary


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
        default=5,
        help="measured runs per target and connection count, alternating targets; medians are "
        "reported",
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of unmeasured load per target first"
    )
    parser.add_argument(
        "--database",
        type=Path,
        help="SQLite file to use (the demo data are created in it if it does not exist), "
        "to skip their preparation on a rerun",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    if importlib.util.find_spec("datasette") is None:
        sys.exit("datasette is missing: uv pip install --python .venv/bin/python -e '.[bench]'")
    work = Path(tempfile.mkdtemp(prefix="bench-public-"))
    db = args.database.resolve() if args.database else work / "obs.db"
    url = f"sqlite:///{db}"
    started = time.perf_counter()
    if not db.exists():
        upgrade(url)
        settings = Settings(environment="test", database_url=url)
        engine = make_engine(url, settings)
        today = date(2026, 1, 15)
        plan = DemoPlan(f"{2026 - args.years}-01", "2025-12", monthly_publications=0)
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
            cwd=db.parent,
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
            f"http://127.0.0.1:{ports['datasette']}/{db.stem}.json?"
            + httpx.QueryParams({"sql": sql, "_shape": "array"}).__str__()
        )
        bare_url = f"http://127.0.0.1:{ports['bare']}/bare"
        for u in (ds_url, bare_url):
            if not wait_for(u, timeout_s=180):
                raise RuntimeError(f"{u} never answered")
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
        http = "httptools" if importlib.util.find_spec("httptools") else "h11"
        print(
            f"response: {len(body)} bytes; cores: {os.cpu_count()}; wrk 1 thread, {args.warmup} s "
            f"warm-up then {args.rounds} alternating runs of {args.duration} s per line, medians"
        )
        print(
            f"uvicorn workers: {args.workers} for the API, {args.workers} for the bare app "
            f"(both with --no-access-log, {loop}, {http}); datasette: 1 process"
        )
        print(
            f"{'target':<14}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
            f"{'cpu µs/req':>12}   req/s | p99 ms of each run"
        )
        runs: dict[tuple[str, int], list[dict[str, float]]] = {}
        api, full, datasette, bare = procs
        targets = (
            ("bare", bare_url, bare.pid),
            ("observatoire", api_url, api.pid),
            ("full stack", full_url, full.pid),
            ("datasette", ds_url, datasette.pid),
        )
        for conns in (10, 50):
            for _name, u, pid in targets:
                if args.warmup:
                    wrk(u, conns, args.warmup, pid)
            for round_ in range(args.rounds):
                for name, u, pid in targets if round_ % 2 == 0 else targets[::-1]:
                    runs.setdefault((name, conns), []).append(wrk(u, conns, args.duration, pid))
            for name, _u, _pid in targets:
                r = medians(runs[(name, conns)])
                each = " ".join(f"{run['rps']:.0f}" for run in runs[(name, conns)])
                each += " | " + " ".join(f"{run['p99']:.3g}" for run in runs[(name, conns)])
                print(
                    f"{name:<14}{conns:>6}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
                    f"{r['errors']:>8}{r['cpu_us']:>12.0f}   {each}"
                )

        def ratio(name: str, conns: int, key: str) -> tuple[float, float, float]:
            """Median, lowest and highest of the per-round ratios of `name` to the bare app."""
            ratios = sorted(
                o[key] / b[key]
                for o, b in zip(runs[(name, conns)], runs[("bare", conns)], strict=True)
            )
            return median(ratios), ratios[0], ratios[-1]

        print(
            "\nratios, medians of the per-round ratios [lowest-highest] (targets: throughput "
            ">= 0.70 x bare, p99 <= 1.5 x bare, >= 20 x datasette); {ratios of the medians}"
        )
        for conns in (10, 50):
            rps, p99, cpu = (ratio("observatoire", conns, k) for k in ("rps", "p99", "cpu_us"))
            ours, theirs = medians(runs[("observatoire", conns)]), medians(runs[("bare", conns)])
            full_rps, full_p99, full_cpu = (
                ratio("full stack", conns, k)[0] for k in ("rps", "p99", "cpu_us")
            )
            vs_datasette = ours["rps"] / medians(runs[("datasette", conns)])["rps"]
            print(
                f"  {conns} connections: throughput {rps[0]:.2f} x bare [{rps[1]:.2f}-{rps[2]:.2f}] "
                f"{{{ours['rps'] / theirs['rps']:.2f}}}, "
                f"p99 {p99[0]:.2f} x bare [{p99[1]:.2f}-{p99[2]:.2f}] "
                f"{{{ours['p99'] / theirs['p99']:.2f}}}, "
                f"{vs_datasette:.1f} x datasette "
                f"(full stack: {full_rps:.2f} x bare, p99 {full_p99:.2f} x)"
            )
            print(
                f"      server CPU per request: {cpu[0]:.2f} x bare [{cpu[1]:.2f}-{cpu[2]:.2f}] "
                f"(full stack: {full_cpu:.2f} x bare)"
            )
        for name in ("api", "full"):
            logs[name].flush()
            with (work / f"{name}.log").open("rb") as log:
                lines = sum(line.count(b'"observatoire.access"') for line in log)
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
