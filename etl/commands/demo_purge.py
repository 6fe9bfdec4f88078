"""`observatoire supprimer-demo`: remove the fictive demo data, after a confirmation."""

from __future__ import annotations

import typer
from rich.console import Console

from observatoire.publication.fictive import PurgePlan, purge_fictive, purge_plan
from observatoire.settings import get_settings
from observatoire.store.db import make_engine

console = Console()

TABLE_LABELS = {
    "organisation": "associations fictives",
    "api_key": "clés d'API",
    "submission": "soumissions",
    "submission_content": "contenus de soumission",
    "current_count": "comptages courants",
    "revision": "révisions",
    "idempotency_record": "réponses idempotentes",
    "publication": "publications",
}


def describe(plan: PurgePlan) -> list[str]:
    """What will go (or went), one line each: names, publication numbers, counts per table."""
    lines = [f"Associations fictives ({len(plan.associations)}) : {', '.join(plan.associations)}"]
    if plan.publications:
        numbers = ", ".join(str(p) for p in plan.publications)
        lines.append(f"Publications bâties sur elles ({len(plan.publications)}) : {numbers}")
    for table, count in plan.rows.items():
        if count and table not in {"organisation", "publication"}:
            lines.append(f"{TABLE_LABELS.get(table, table)} : {count:,}".replace(",", " "))
    return lines


def _confirmed() -> bool:
    answer = typer.prompt("Supprimer ces données fictives ? [o/N]", default="n", show_default=False)
    return answer.strip().lower() in {"o", "oui", "y", "yes"}


def purge_demo_command(
    oui: bool = typer.Option(
        False, "--oui", "--yes", "-y", help="Ne pas demander de confirmation (scripts)."
    ),
) -> None:
    """Supprime les données FICTIVES de démonstration : associations fictives, leurs clés,
    soumissions, comptages et révisions, et les publications bâties sur elles (une transaction).
    Les associations réelles et leurs données ne sont pas touchées."""
    settings = get_settings()
    engine = make_engine(settings.effective_database_url, settings)
    try:
        plan = purge_plan(engine)
        if plan.empty:
            console.print("Aucune donnée fictive : rien à supprimer.")
            return
        console.print("[bold]Seront supprimés définitivement[/] :")
        for line in describe(plan):
            console.print(f"  • {line}")
        if not oui and not _confirmed():
            console.print("Rien n'a été supprimé.")
            raise typer.Exit(1)
        done = purge_fictive(engine)
    finally:
        engine.dispose()
    console.print(
        f"[green]Démonstration supprimée[/] : {len(done.associations)} associations fictives, "
        f"{len(done.publications)} publications ; les données réelles peuvent être publiées."
    )
