"""`observatoire geodonnees …`: reference data and map geometries."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(
    help="Données de référence et géométries (dossier geodata/).", no_args_is_help=True
)
console = Console()


@app.command("construire")
def build(
    output_dir: Path | None = typer.Option(None, help="Dossier de sortie (défaut : geodata/)."),
) -> None:
    """Reconstruit départements, régions et géométries depuis les paquets sources."""
    from etl.geodata.build import build_all

    outputs = build_all(output_dir) if output_dir else build_all()
    for name, path in outputs.items():
        console.print(f"{name}: {path} ({path.stat().st_size / 1024:.0f} Ko)")


# English names of the first release, hidden, kept for one more release.
app.command("build", hidden=True)(build)
