"""Real servers for end-to-end tests: the API (uvicorn) and the dashboard (streamlit run).

Each runs as a subprocess on a free loopback port and is stopped on exit. The API gets a
fresh, migrated SQLite file of its own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from observatoire.store.migrate import upgrade

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port_url() -> str:
    """The URL of a loopback port nobody listens on (to test an unreachable API)."""
    return f"http://127.0.0.1:{free_port()}"


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout_s: float) -> None:
    """Poll `url` until it answers 200; fail with the server's log if it dies or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not up after {timeout_s:g} s:\n{log.read_text()[-4000:]}")


@contextmanager
def running_process(
    args: list[str], env: Mapping[str, str], ready_url: str, log: Path
) -> Iterator[subprocess.Popen]:
    """Start `args`, wait for `ready_url`, yield the process, then stop it."""
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            args,
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(ready_url, process, log, START_TIMEOUT_S)
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate `process` and its children (its own session), killing after 10 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_api(
    workdir: Path,
    prepare: Callable[[str], object] | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """The real API on a fresh migrated SQLite database; yields its base URL.

    `prepare(database_url)` runs after the migration and before the API starts (to seed and
    publish, for instance); the API then finds the publication on its first refresh.
    `extra_env` adds settings (a smaller body limit, for instance).
    """
    database_url = f"sqlite:///{workdir / 'api.db'}"
    upgrade(database_url)
    if prepare is not None:
        prepare(database_url)
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "api.main:app_factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    env = {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "DATA_DIR": str(workdir),
        **(extra_env or {}),
    }
    base_url = f"http://127.0.0.1:{port}"
    with running_process(args, env, f"{base_url}/healthz", workdir / "api.log"):
        yield base_url


@contextmanager
def running_dashboard(
    workdir: Path,
    api_url: str,
    *,
    warm: bool = True,
    app: Path = REPO_ROOT / "dashboard" / "app.py",
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """`streamlit run dashboard/app.py` reading `api_url`; yields the dashboard's URL.

    With `warm`, the default page runs once (`/_stcore/script-health-check`, enabled in
    `dashboard/.streamlit/config.toml`) before the URL is yielded, as a deployment would do,
    so that the first page load is not the one paying for imports and API calls. `app` and
    `env` serve another Streamlit app the same way (its log named after its folder).
    """
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    variables = {"OBSERVATOIRE_API_URL": api_url, **(env or {})}
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / f"{app.parent.name}.log"
    with running_process(args, variables, f"{base_url}/_stcore/health", log):
        if warm:
            warm_up(base_url)
        yield base_url


def warm_up(dashboard_url: str) -> None:
    """Run the dashboard's default page once on the server (imports, API calls, caches)."""
    response = httpx.get(f"{dashboard_url}/_stcore/script-health-check", timeout=START_TIMEOUT_S)
    response.raise_for_status()
