"""`observatoire key …`: API keys of organisations (administrators only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import typer
from rich.console import Console
from rich.table import Table

from observatoire.settings import get_settings
from observatoire.store.db import make_engine
from observatoire.submissions.keys import ApiKeyError, issue_key, list_keys, revoke_key
from observatoire.submissions.organisations import OrganisationError, get_organisation

app = typer.Typer(
    help="Clés d'API des organisations (émission, liste, révocation).", no_args_is_help=True
)
console = Console()


@app.command("issue")
def issue(
    slug: str = typer.Argument(..., help="Organisation destinataire."),
    expire_le: str | None = typer.Option(
        None, "--expire-le", help="Date (AAAA-MM-JJ) à partir de laquelle la clé est refusée."
    ),
) -> None:
    """Émet une clé (au plus deux actives par organisation) et l'affiche une seule fois."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        expires = (
            datetime.combine(date.fromisoformat(expire_le), time(), UTC) if expire_le else None
        )
        issued = issue_key(engine, slug, settings.effective_pepper, expires_at=expires)
    except ApiKeyError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"Clé émise pour [bold]{issued.organisation_slug}[/] (préfixe {issued.prefix}).")
    console.print("Conservez-la maintenant : elle ne sera plus jamais affichée.")
    typer.echo(issued.key)  # plain echo: never wrapped, easy to copy


@app.command("list")
def list_(slug: str | None = typer.Argument(None, help="Organisation (défaut : toutes).")) -> None:
    """Liste les clés (préfixes, jamais les secrets) et leur dernière utilisation."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        if slug is not None:
            get_organisation(engine, slug)
        keys = list_keys(engine, slug)
    except OrganisationError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    table = Table("préfixe", "organisation", "état", "créée le", "dernière utilisation")
    for key in keys:
        table.add_row(
            key.prefix,
            key.organisation_slug,
            "active" if key.active else f"révoquée le {key.revoquee_le:%Y-%m-%d %H:%M}",
            f"{key.cree_le:%Y-%m-%d %H:%M}",
            f"{key.derniere_utilisation:%Y-%m-%d %H:%M}" if key.derniere_utilisation else "jamais",
        )
    console.print(table)


@app.command("revoke")
def revoke(prefix: str = typer.Argument(..., help="Préfixe public de la clé.")) -> None:
    """Révoque une clé : refusée dès la requête suivante."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        key = revoke_key(engine, prefix)
    except ApiKeyError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"[green]Clé révoquée[/] : {key.prefix} ({key.organisation_slug}).")
