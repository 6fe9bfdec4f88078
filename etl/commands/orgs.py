"""`observatoire org …`: associations allowed to submit (administrators only)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from observatoire.settings import get_settings
from observatoire.store.db import make_engine
from observatoire.submissions.organisations import (
    OrganisationError,
    create_organisation,
    list_organisations,
    set_start_month,
)

app = typer.Typer(
    help="Organisations (associations) qui soumettent des comptages.", no_args_is_help=True
)
console = Console()


@app.command("create")
def create(
    slug: str = typer.Argument(..., help="Identifiant court : minuscules, chiffres, tirets."),
    nom: str = typer.Option(..., "--nom", help="Nom complet de l'association."),
    synthetique: bool = typer.Option(
        False, "--synthetique", help="Association fictive (données de démonstration)."
    ),
) -> None:
    """Crée une organisation."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        org = create_organisation(engine, slug, nom, synthetique=synthetique)
    except OrganisationError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"[green]Organisation créée[/] : {org.slug} ({org.nom})")


@app.command("debut")
def debut(
    slug: str = typer.Argument(..., help="Identifiant de l'association."),
    mois: str = typer.Argument(..., help="Premier mois déclaré (AAAA-MM)."),
) -> None:
    """Déclare le premier mois de l'association : son calendrier de complétude part de là, et
    un envoi pour un mois antérieur reçoit un avertissement."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        set_start_month(engine, slug, mois)
    except OrganisationError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"[green]{slug}[/] déclare ses chiffres depuis {mois}.")


@app.command("list")
def list_() -> None:
    """Liste les organisations et leur nombre de clés actives."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        orgs = list_organisations(engine)
    finally:
        engine.dispose()
    table = Table("slug", "nom", "synthétique", "clés actives", "créée le")
    for org in orgs:
        table.add_row(
            org.slug,
            org.nom,
            "oui" if org.synthetique else "non",
            str(org.cles_actives),
            f"{org.cree_le:%Y-%m-%d %H:%M}",
        )
    console.print(table)
