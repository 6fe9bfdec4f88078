"""The `observatoire` command line: thin Typer commands over plain functions."""

from __future__ import annotations

import typer

from etl.commands import charger, db, demo, geodata, keys, orgs, planifier, publication, serve

app = typer.Typer(
    help="Observatoire ANEF : administration, chargement, publication et service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(geodata.app, name="geodata")
app.add_typer(orgs.app, name="org")
app.add_typer(keys.app, name="key")
app.command("serve")(serve.serve)
app.command("publish")(publication.publish_command)
app.command("audit")(publication.audit_command)
app.command("demo")(demo.demo_command)
app.command("charger")(charger.charger)
app.command("planifier")(planifier.planifier)

if __name__ == "__main__":
    app()
