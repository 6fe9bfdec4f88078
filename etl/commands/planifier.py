"""`observatoire planifier`: the publication scheduler (monthly, then consolidated when late
figures or corrections wait), run by `make run` and by the `publish` service of
docker-compose.yml."""

from __future__ import annotations

import time
from datetime import date

import typer
from rich.console import Console

from observatoire.publication.schedule import upcoming
from observatoire.publication.scheduler import paris_today, run_due_publication
from observatoire.settings import get_settings
from observatoire.store.db import make_engine

console = Console()


def planifier(
    une_fois: bool = typer.Option(
        False, "--une-fois", help="Une seule vérification, puis s'arrête (cron, tests)."
    ),
    le: str | None = typer.Option(
        None, "--date", help="Date du jour simulée (AAAA-MM-JJ), avec --une-fois."
    ),
) -> None:
    """Publie selon le calendrier : la publication mensuelle, puis la consolidée quand des
    chiffres tardifs ou des corrections attendent. Vérifie toutes les `SCHEDULER_INTERVAL_S`."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        while True:
            today = date.fromisoformat(le) if le else paris_today()
            try:
                due, made = run_due_publication(engine, settings, today)
            except Exception as exc:  # noqa: BLE001 - a failed attempt is retried at the next check
                console.print(f"[red]Publication échouée[/] : {exc}")
                due, made = None, None
            if made is not None:
                console.print(
                    f"[green]Publication {made.id}[/] ({made.type_publication}) jusqu'à "
                    f"{made.donnees_jusqu_a}"
                )
            elif due is not None:
                console.print(f"Rien à publier ({due.kind} prévue jusqu'à {due.up_to}).")
            if une_fois:
                nxt = upcoming(today, settings, 1)[0]
                console.print(f"Prochaine date : {nxt.on} ({nxt.kind}).")
                return
            time.sleep(settings.scheduler_interval_s)
    finally:
        engine.dispose()
