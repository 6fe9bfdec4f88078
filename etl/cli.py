"""The `observatoire` command line: thin Typer commands over plain functions."""

from __future__ import annotations

import typer

from etl.commands import db, geodata, serve

app = typer.Typer(
    help="Observatoire ANEF : administration, chargement, publication et service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(geodata.app, name="geodata")
app.command("serve")(serve.serve)

if __name__ == "__main__":
    app()
