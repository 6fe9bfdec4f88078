"""The `observatoire` command line: thin Typer commands over plain functions.

Commands speak French, like the people who run them. The English names of the first release
(`db upgrade`, `org create`, `key issue`, `geodata build`, `serve`, `publish`, `audit`) still
work, hidden from the help, for one more release.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from etl.commands import (
    charger,
    db,
    demo,
    demo_purge,
    geodata,
    keys,
    orgs,
    planifier,
    publication,
    serve,
)

app = typer.Typer(
    help="Observatoire ANEF : administration, chargement, publication et service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
COMMANDS: dict[str, Callable[..., Any]] = {
    "lancer": serve.serve,
    "publier": publication.publish_command,
    "auditer": publication.audit_command,
    "demo": demo.demo_command,
    "charger": charger.charger,
    "supprimer-demo": demo_purge.purge_demo_command,
    "planifier": planifier.planifier,
}
GROUPS: dict[str, typer.Typer] = {
    "base": db.app,
    "geodonnees": geodata.app,
    "association": orgs.app,
    "cle": keys.app,
}
ENGLISH_NAMES = {  # old name -> French name, hidden aliases for one release
    "serve": "lancer",
    "publish": "publier",
    "audit": "auditer",
    "db": "base",
    "geodata": "geodonnees",
    "org": "association",
    "key": "cle",
}

for name, command in COMMANDS.items():
    app.command(name)(command)
for name, group in GROUPS.items():
    app.add_typer(group, name=name)
for old, new in ENGLISH_NAMES.items():
    if new in COMMANDS:
        app.command(old, hidden=True)(COMMANDS[new])
    else:
        app.add_typer(GROUPS[new], name=old, hidden=True)

if __name__ == "__main__":
    app()
