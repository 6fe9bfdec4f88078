"""Property-based fuzzing of the whole API with schemathesis, from its own `/openapi.json`.

Usage: .venv/bin/python bench/fuzz_api.py [--quick] [--examples N] [--max-time S]

Starts the real API (uvicorn on a free loopback port) on a fresh SQLite database holding one
organisation, one key, some submitted counts and a publication of them, then runs
`schemathesis run --checks all` twice: anonymously on every operation, and as the association
(`Authorization: Bearer …`) on the submission routes, whose bodies are generated from the
contract. Counts come from the API's own access log (one JSON line per request) and from
schemathesis' output. Exits 1 on any server error or check failure, when fewer requests than
required were made, or when no generated batch was accepted (bodies not generated).
`--quick` is the run of `make test` (`tests/ops/test_fuzz_quick.py`, about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.settings import ApiSettings  # noqa: E402
from observatoire.publication.service import publish  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402
from observatoire.submissions.keys import issue_key  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402
from tests.support.live_servers import free_port, stop, wait_until_up  # noqa: E402
from tests.support.seeding import random_rows, seed_counts  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"  # accepted behaviour, explained
SUBMISSION_ROUTES = "^/v1/soumissions"  # the association run: where a key matters


def prepare(workdir: Path) -> tuple[dict[str, str], str]:
    """A migrated database with an organisation, a key and counts; env for the API, and key."""
    url = f"sqlite:///{workdir / 'fuzz.db'}"
    upgrade(url)
    env = {
        "ENVIRONMENT": "test",
        "DATABASE_URL": url,
        "DATA_DIR": str(workdir),
        "API_RATE_LIMIT": "1000000/minute",
        "API_LOG_FORMAT": "json",
        "PUBLICATION_REFRESH_S": "1",
    }
    settings = ApiSettings(**{k.lower(): v for k, v in env.items()})
    engine = make_engine(url, settings)
    org = create_organisation(engine, "asso-fuzz", "Association du fuzz")
    key = issue_key(engine, org.slug, settings.effective_pepper).key
    seed_counts(engine, org.slug, random_rows(["2025-01", "2025-02"], density=0.02))
    # A publication makes the statistics routes answer 200 (and their models be checked).
    publication = publish(engine, settings)
    engine.dispose()
    print(f"publication {publication.id} produite")
    return env, key


def run_schemathesis(
    base_url: str,
    workdir: Path,
    name: str,
    headers: list[str],
    examples: int,
    max_time: int,
    extra: tuple[str, ...] = (),
) -> dict:
    """One schemathesis run; returns its JSON report."""
    report = workdir / f"{name}.json"
    args = [
        str(VENV_BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--max-time",
        str(max_time),
        "--workers",
        "2",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        "--no-color",
        "--seed",
        "20261126",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        *[item for header in headers for item in ("-H", header)],
        *extra,
    ]
    started = time.monotonic()
    result = subprocess.run(
        args, cwd=workdir, capture_output=True, text=True, timeout=max_time + 120
    )  # noqa: S603
    (workdir / f"{name}.txt").write_text(result.stdout + result.stderr)
    print(f"[{name}] schemathesis exit {result.returncode} en {time.monotonic() - started:.0f} s")
    for line in result.stdout.splitlines():
        if any(word in line for word in ("Selected:", "Tested:", " generated, ", "Scenarios:")):
            print(f"[{name}] {line.strip()}")
    if result.returncode != 0:
        print("\n".join((result.stdout + result.stderr).splitlines()[-60:]))
    selected = re.search(r"Selected: (\d+)/", result.stdout)
    tested = re.search(r"Tested: (\d+)", result.stdout)
    untested = int(selected[1]) - int(tested[1]) if selected and tested else -1
    if untested:
        print(f"[{name}] opérations non testées : {untested if untested > 0 else 'inconnu'}")
    return {**(json.loads(report.read_text()) if report.exists() else {}), "untested": untested}


def access_counts(log: Path) -> tuple[int, int, Counter[int]]:
    """Requests, 5xx answers, and statuses of `POST /v1/soumissions` in the access log."""
    total = errors = 0
    submissions: Counter[int] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "observatoire.access":
            total += 1
            errors += int(record.get("status", 0) >= 500)
            if record.get("method") == "POST" and record.get("path") == "/v1/soumissions":
                submissions[int(record.get("status", 0))] += 1
    return total, errors, submissions


def failures(report: dict) -> int:
    """Check failures recorded in a schemathesis JSON report (one per distinct problem)."""
    return len(report.get("failures") or report.get("results", {}).get("failures") or [])


def main() -> int:
    """Run the fuzzing and print its figures; non-zero exit on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="About a minute, every operation tested (make test)."
    )
    parser.add_argument("--examples", type=int, help="Max examples per operation and run.")
    parser.add_argument("--max-time", type=int, help="Time budget per run (s).")
    args = parser.parse_args()
    examples = args.examples or (2 if args.quick else 300)
    # Under load (2 cores shared) the quick runs stop at their time budget: the minimum is a
    # floor, the real check is that every selected operation was tested.
    max_time = args.max_time or (30 if args.quick else 420)
    minimum = 200 if args.quick else 10_000
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        env, key = prepare(workdir)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = workdir / "api.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "uvicorn", "--factory", "api.main:app_factory",
                 "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
                cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            try:
                wait_until_up(f"{base_url}/healthz", process, log, 60)
                reports = {
                    "anonyme": run_schemathesis(base_url, workdir, "anonyme", [], examples, max_time),
                    "association": run_schemathesis(
                        base_url, workdir, "association", [f"Authorization: Bearer {key}"],
                        examples, max_time, ("--include-path-regex", SUBMISSION_ROUTES),
                    ),
                }  # fmt: skip
            finally:
                stop(process)
        requests, server_errors, submissions = access_counts(log)
        violations = sum(failures(r) for r in reports.values())
        accepted = submissions[200] + submissions[201]
        print(f"requêtes : {requests}")
        print(
            f"lots soumis (POST /v1/soumissions) : {sum(submissions.values())}, dont {accepted} "
            f"acceptés et {submissions[422]} refusés (422)"
        )
        print(f"erreurs serveur (5xx) : {server_errors}")
        print(f"violations (échecs de vérification schemathesis) : {violations}")
        untested = any(r.get("untested") for r in reports.values())
        ok = server_errors == 0 and violations == 0 and requests >= minimum and accepted > 0
        ok = ok and not untested
        if requests < minimum:
            print(f"trop peu de requêtes : {requests} < {minimum}")
        if accepted == 0:
            print("aucun lot généré n'a été accepté : les corps de soumission ne sont pas générés")
        if os.environ.get("FUZZ_KEEP"):
            kept = Path(tempfile.mkdtemp(prefix="fuzz-kept-"))
            for path in workdir.iterdir():
                if path.suffix in {".txt", ".json", ".log"}:
                    (kept / path.name).write_bytes(path.read_bytes())
            print(f"rapports gardés dans {kept}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
