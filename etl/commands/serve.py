"""`observatoire serve`: API and dashboard together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import typer
from rich.console import Console

from observatoire.settings import REPO_ROOT

console = Console()

# How the API is served, here and by `bench/bench_public_api.py` (docker-compose.yml and the
# Dockerfile say the same): uvicorn's own access log off, the app writes its JSON one.
API_SERVER_ARGS = ["--factory", "api.main:app_factory", "--no-access-log"]


def wait_for(url: str, timeout_s: float = 60.0) -> bool:
    """Poll `url` until it answers 200 or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def serve(
    host: str = typer.Option("127.0.0.1", help="Adresse d'écoute."),
    api_port: int = typer.Option(8000, envvar="API_PORT", help="Port de l'API."),
    dashboard_port: int = typer.Option(
        8501, envvar="DASHBOARD_PORT", help="Port du tableau de bord."
    ),
    workers: int = typer.Option(1, help="Nombre de processus uvicorn pour l'API."),
    demo_si_vide: bool = typer.Option(
        False,
        "--demo-si-vide",
        help="Base vide : crée et publie des données FICTIVES de démonstration en arrière-plan.",
    ),
) -> None:
    """Démarre l'API et le tableau de bord, affiche leurs adresses ; Ctrl-C arrête les deux."""
    api_url = f"http://{host}:{api_port}"
    env = {
        "API_LOG_LEVEL": "WARNING",  # keep the terminal readable; set INFO for access logs
        **os.environ,
        "OBSERVATOIRE_API_URL": os.environ.get("OBSERVATOIRE_API_URL", api_url),
    }
    api = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [
            sys.executable,
            "-m",
            "uvicorn",
            *API_SERVER_ARGS,
            "--host",
            host,
            "--port",
            str(api_port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    dashboard = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "dashboard" / "app.py"),
            "--server.address",
            host,
            "--server.port",
            str(dashboard_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "viewer",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    children = (api, dashboard)
    try:
        api_ok = wait_for(f"{api_url}/healthz")
        dash_ok = wait_for(f"http://{host}:{dashboard_port}/_stcore/health")
        if not (api_ok and dash_ok):
            console.print("[red]Le démarrage a échoué[/] (API ou tableau de bord ne répond pas).")
            raise typer.Exit(1)
        console.print(
            f"[bold green]API[/]             : {api_url}  (documentation : {api_url}/docs)"
        )
        console.print(f"[bold green]Tableau de bord[/] : http://{host}:{dashboard_port}")
        if demo_si_vide:
            # After the URLs: publishing the demo history may take a while, and the API and
            # dashboard pick up each publication as soon as it is stored.
            console.print("Base vide ? Données de démonstration fictives en préparation…")
            children = (
                *children,
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "etl.cli", "demo", "--si-vide"], env=env
                ),
            )
        # The publication scheduler, as the `publish` service does in docker-compose.yml.
        children = (
            *children,
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "etl.cli", "planifier"], env=env, stdout=subprocess.DEVNULL
            ),
        )
        # One run of the default page (see dashboard/.streamlit/config.toml), so that the first
        # reader does not pay for the imports and caches.
        wait_for(f"http://{host}:{dashboard_port}/_stcore/script-health-check")
        console.print("Ctrl-C pour arrêter.")
        while api.poll() is None and dashboard.poll() is None:
            time.sleep(0.5)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in children:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in children:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
