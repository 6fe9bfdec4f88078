"""`observatoire demo`: synthetic, clearly labelled demo data and publications."""

from __future__ import annotations

import os

import typer
from pydantic import ValidationError
from rich.console import Console

from etl.demo import (
    DemoPlan,
    DemoRefusedInProduction,
    create_demo,
    database_is_empty,
    default_plan,
    refuse_in_production,
)
from observatoire.domain.periods import parse_month
from observatoire.settings import get_settings
from observatoire.store.db import make_engine

console = Console()


def refuse_demo_in_production() -> None:
    """Exit 1 with a clear message when ENVIRONMENT=production (before touching anything)."""
    try:
        environment = get_settings().environment
    except ValidationError:  # production without its secrets is still production
        environment = os.environ.get("ENVIRONMENT", "")
    try:
        refuse_in_production(environment)
    except DemoRefusedInProduction as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None


def demo_command(
    si_vide: bool = typer.Option(
        False, "--si-vide", help="Ne fait rien si la base contient déjà des données."
    ),
    depuis: str = typer.Option("2021-01", help="Premier mois de l'historique (AAAA-MM)."),
    signalements: int = typer.Option(
        DemoPlan.reports_per_month,
        min=100,
        help="Signalements par mois au niveau national (moyenne sur la période).",
    ),
    publications_mensuelles: int = typer.Option(
        3, min=0, help="Publications mensuelles après la publication de l'historique."
    ),
    graine: int = typer.Option(20211, help="Graine du générateur (résultat déterministe)."),
) -> None:
    """Crée des associations FICTIVES et des comptages plausibles, puis publie (démonstration)."""
    refuse_demo_in_production()
    try:
        parse_month(depuis)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--depuis") from None
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        if not database_is_empty(engine):
            if si_vide:
                console.print("Base déjà remplie : données de démonstration non créées.")
                return
            console.print("[red]La base contient déjà des données[/] : utilisez une base vide.")
            raise typer.Exit(1)
        last = default_plan().last_month
        plan = DemoPlan(depuis, last, signalements, publications_mensuelles, graine)
        console.print(
            f"[bold]Données de démonstration FICTIVES[/] {plan.first_month} → {plan.last_month}"
        )
        with console.status("Génération, chargement et publication (environ 2 minutes)…"):
            create_demo(engine, settings, plan, report=console.print)
    finally:
        engine.dispose()
