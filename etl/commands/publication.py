"""`observatoire publier` and `observatoire auditer`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from observatoire.publication.auditing import audit_publication
from observatoire.publication.fictive import FictiveMixRefused
from observatoire.publication.service import NothingToPublish, publish
from observatoire.settings import get_settings
from observatoire.store.db import make_engine

console = Console()


def publish_command(
    jusqu_a: str | None = typer.Option(
        None,
        "--jusqu-a",
        help="Dernier mois publié (AAAA-MM ; défaut : dernier mois complet avec des données).",
    ),
    consolidee: bool = typer.Option(
        False,
        "--consolidee",
        help="Intègre les corrections des mois déjà publiés (audit joint).",
    ),
) -> None:
    """Calcule, protège (secret statistique), audite et enregistre une nouvelle publication."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        with console.status("Calcul du cube protégé et audit…"):
            pub = publish(engine, settings, up_to=jusqu_a, consolidate=consolidee)
    except NothingToPublish as exc:
        console.print(f"[yellow]Rien à publier[/] : {exc}")
        raise typer.Exit(0) from None
    except FictiveMixRefused as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    console.print(
        f"[green]Publication {pub.id}[/] ({pub.type_publication}) : {pub.premier_mois} → "
        f"{pub.donnees_jusqu_a}, {pub.cellules:,} cellules dont {pub.cellules_secretes:,} "
        f"secrètes (k = {pub.seuil}), {pub.secondes_protection:.1f} s".replace(",", " ")
    )


def audit_command(
    publication_id: int | None = typer.Argument(
        None, help="Numéro de publication (défaut : la dernière)."
    ),
    details: int = typer.Option(20, help="Nombre de cellules masquées à afficher."),
    exacte: bool = typer.Option(
        False,
        "--exacte",
        help="Bornes exactes (LP/MILP) de chaque cellule masquée ; sinon certificats par témoins.",
    ),
) -> None:
    """Audite une publication : bornes entières de chaque cellule masquée ; échoue si une fuit."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        result = audit_publication(engine, settings, publication_id, exact=exacte)
    except LookupError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    report = result.report
    table = Table(title=f"Publication {result.publication_id} : cellules masquées (extrait)")
    for column in ("territoire", "incident", "période", "min", "max"):
        table.add_column(column)
    for (t, i, p), (lo, hi) in sorted(report.bounds.items())[:details]:
        table.add_row(t, i, p, str(lo), str(hi))
    console.print(table)
    console.print(
        f"{result.hidden} cellules masquées, {len(report.exposed)} exposées, "
        f"{result.mismatched} valeurs publiées incohérentes, {report.seconds:.1f} s"
    )
    if report.exposed or result.mismatched:
        for key in report.exposed[:details]:
            console.print(f"[red]exposée[/] {key} bornes {report.bounds.get(key)}")
        raise typer.Exit(1)
    console.print(
        "[green]Audit réussi[/] : aucune cellule masquée n'est déductible ni réduite à [1, k-1]."
    )
