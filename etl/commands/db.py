"""`observatoire base …`: database schema."""

from __future__ import annotations

import typer
from rich.console import Console

from observatoire.settings import get_settings
from observatoire.store import migrate

app = typer.Typer(help="Schéma de la base de données (migrations Alembic).", no_args_is_help=True)
console = Console()


@app.command("migrer")
def upgrade(revision: str = typer.Argument("head", help="Révision cible.")) -> None:
    """Met la base à jour (crée le fichier SQLite si besoin)."""
    url = get_settings().effective_database_url
    migrate.upgrade(url, revision)
    console.print(f"[green]Base à jour[/] ({migrate.current_revision(url)}) : {_redact(url)}")


@app.command("revenir")
def downgrade(
    revision: str = typer.Argument(..., help="Révision cible (`base` pour tout retirer)."),
) -> None:
    """Ramène la base à une révision antérieure."""
    url = get_settings().effective_database_url
    migrate.downgrade(url, revision)
    console.print(f"Base ramenée à {migrate.current_revision(url) or 'base'} : {_redact(url)}")


@app.command("version")
def current() -> None:
    """Affiche la révision courante de la base."""
    url = get_settings().effective_database_url
    console.print(migrate.current_revision(url) or "base (non migrée)")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# English names of the first release, hidden, kept for one more release.
app.command("upgrade", hidden=True)(upgrade)
app.command("downgrade", hidden=True)(downgrade)
app.command("current", hidden=True)(current)
