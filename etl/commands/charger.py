"""`observatoire charger FICHIER --org SLUG`: load a CSV or XLSX file of counts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatoire.loading.load import LoadReport, load_file
from observatoire.loading.table import LoaderSettings
from observatoire.store.db import make_engine
from observatoire.submissions.organisations import OrganisationError

console = Console()
MAX_SHOWN_ISSUES = 200


def charger(
    fichier: Path = typer.Argument(..., help="Fichier CSV (; , ou tabulation) ou XLSX."),
    org: str = typer.Option(..., "--org", help="Identifiant de l'association (voir `org list`)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Vérifie et compte sans rien enregistrer."
    ),
) -> None:
    """Charge un fichier de comptages : toutes les lignes ou aucune, comme l'API."""
    settings = LoaderSettings()
    engine = make_engine(settings.effective_database_url, settings)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage.capitalize(), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = load_file(
                fichier,
                org_slug=org,
                engine=engine,
                settings=settings,
                dry_run=dry_run,
                progress=progress,
            )
    except OrganisationError as exc:
        console.print(f"[red]Refusé[/] : {exc}")
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def print_report(report: LoadReport) -> None:
    """The rich summary: counts, notes, then each rejection with its line and reason."""
    for note in report.notes:
        console.print(f"[dim]{note}[/]")
    table = Table(title=f"Chargement de {report.path.name}", show_header=False)
    table.add_row("Lignes lues", str(report.lines_read))
    table.add_row("Valeurs lues", str(report.values_read))
    table.add_row("Valeurs acceptées", str(report.accepted))
    table.add_row("Valeurs rejetées", str(report.rejected))
    if report.summary:
        s = report.summary
        table.add_row(
            "Créées / modifiées / inchangées", f"{s.creees} / {s.modifiees} / {s.inchangees}"
        )
    console.print(table)
    if report.issues:
        issues = Table(title="Rejets", show_lines=False)
        for name in ("Ligne", "Colonne", "Champ", "Valeur", "Raison", "Suggestion"):
            issues.add_column(name, overflow="fold")
        for issue in report.issues[:MAX_SHOWN_ISSUES]:
            issues.add_row(
                "" if issue.ligne is None else str(issue.ligne),
                issue.colonne or "",
                issue.champ or "",
                "" if issue.valeur is None else str(issue.valeur),
                issue.raison,
                issue.suggestion or "",
            )
        console.print(issues)
        if len(report.issues) > MAX_SHOWN_ISSUES:
            console.print(f"… et {len(report.issues) - MAX_SHOWN_ISSUES} autres rejets")
        console.print("[red]Fichier refusé : rien n'a été enregistré.[/]")
    elif report.dry_run:
        console.print("[yellow]Essai (--dry-run) : rien n'a été enregistré.[/]")
    else:
        sid = report.summary.id if report.summary else None
        console.print(f"[green]Fichier enregistré[/] : soumission n° {sid}.")
