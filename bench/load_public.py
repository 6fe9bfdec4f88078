"""Load test of public reads with `wrk`: latency percentiles and error rate per endpoint.

Usage: .venv/bin/python bench/load_public.py [--duration 10] [--connections 16] [--threads 2]

Starts the real API (uvicorn on a free loopback port, 2 workers by default) on a fresh SQLite
database, publishes a small data set when that is quick, then runs `wrk` for a fixed duration
and a fixed number of connections against a few public endpoints. Prints p50/p95/p99, the
request rate and the error rate (non-2xx/3xx and socket errors) beside `os.cpu_count()`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_api import prepare  # noqa: E402

from tests.support.live_servers import free_port, stop, wait_until_up  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ENDPOINTS = [
    "/v1/statistiques?niveau=departement&type=tous",
    "/v1/statistiques?niveau=region&type=tous&format=csv",
    "/v1/departements",
    "/v1/carte",
]
# wrk prints latencies as 1.23ms / 456.78us / 1.02s; the Lua script adds percentiles in ms.
LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%d %.3f\\n", p, latency:percentile(p) / 1000))
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("REQUESTS %d\\nERRORS %d\\nSECONDS %.3f\\n",
    summary.requests, errors, summary.duration / 1e6))
end
"""


def run_wrk(url: str, duration: int, connections: int, threads: int, script: Path) -> dict:
    """One wrk scenario; returns its figures."""
    result = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
         "-H", "Accept-Encoding: gzip", "-s", str(script), url],
        capture_output=True, text=True, timeout=duration + 30, check=True,
    )  # fmt: skip
    figures = dict(re.findall(r"^(P\d+|REQUESTS|ERRORS|SECONDS) (\S+)$", result.stdout, re.M))
    return {k: float(v) for k, v in figures.items()}


def main() -> int:
    """Run every scenario and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per scenario.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk manquant : apt-get install -y wrk")
        return 2
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        workdir = Path(tmp)
        env, _key = prepare(workdir)
        env["API_LOG_LEVEL"] = "WARNING"
        script = workdir / "report.lua"
        script.write_text(LUA)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = workdir / "api.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "uvicorn", "--factory", "api.main:app_factory",
                 "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                 "--no-access-log"],
                cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            try:
                wait_until_up(f"{base_url}/healthz", process, log, 60)
                print(f"os.cpu_count() = {os.cpu_count()} ; uvicorn --workers {args.workers} ; "
                      f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s")  # fmt: skip
                header = f"{'point d’accès':55} {'statut':>6} {'req/s':>8} {'p50 ms':>8} "
                print(header + f"{'p95 ms':>8} {'p99 ms':>8} {'erreurs':>8}")
                for path in ENDPOINTS:
                    status = httpx.get(base_url + path, timeout=30).status_code  # warm caches
                    f = run_wrk(base_url + path, args.duration, args.connections, args.threads,
                                script)  # fmt: skip
                    rate = f["REQUESTS"] / f["SECONDS"]
                    errors = 100 * f["ERRORS"] / max(1, f["REQUESTS"])
                    print(f"{path:55} {status:>6} {rate:>8.0f} {f['P50']:>8.2f} "
                          f"{f['P95']:>8.2f} {f['P99']:>8.2f} {errors:>7.2f}%")  # fmt: skip
            finally:
                stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
