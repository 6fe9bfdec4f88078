"""The CLI speaks French; the English names of the first release still work, hidden."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from etl.cli import ENGLISH_NAMES, app
from tests.etl.test_cli_keys import cli  # noqa: F401 - the CLI fixture on a fresh database

OLD_SUBCOMMANDS = {  # (old group, old name) -> French (group, name)
    ("db", "upgrade"): ("base", "migrer"),
    ("db", "downgrade"): ("base", "revenir"),
    ("db", "current"): ("base", "version"),
    ("org", "create"): ("association", "creer"),
    ("org", "list"): ("association", "lister"),
    ("key", "issue"): ("cle", "emettre"),
    ("key", "list"): ("cle", "lister"),
    ("key", "revoke"): ("cle", "revoquer"),
    ("geodata", "build"): ("geodonnees", "construire"),
}


def _help_body(output: str) -> str:
    return output.split("\n", 3)[-1]  # after the usage line, which names the command


def test_help_lists_only_french_names():
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    for new in ["lancer", "publier", "auditer", "charger", "demo", "base", "cle", "association"]:
        assert f" {new} " in listing
    for old in ENGLISH_NAMES:
        assert f" {old} " not in listing


@pytest.mark.parametrize("old", sorted(ENGLISH_NAMES))
def test_each_old_command_is_the_new_one(old):
    runner = CliRunner()
    before = runner.invoke(app, [old, "--help"], env={"COLUMNS": "200"})
    after = runner.invoke(app, [ENGLISH_NAMES[old], "--help"], env={"COLUMNS": "200"})
    assert before.exit_code == after.exit_code == 0, before.output
    assert _help_body(before.output) == _help_body(after.output)


@pytest.mark.parametrize(("old", "new"), sorted(OLD_SUBCOMMANDS.items()))
def test_each_old_subcommand_is_the_new_one(old, new):
    runner = CliRunner()
    before = runner.invoke(app, [*old, "--help"], env={"COLUMNS": "200"})
    after = runner.invoke(app, [*new, "--help"], env={"COLUMNS": "200"})
    assert before.exit_code == after.exit_code == 0, before.output
    assert _help_body(before.output) == _help_body(after.output)


def test_old_and_new_names_act_on_the_same_data(cli):  # noqa: F811 - the imported fixture
    assert cli("org", "create", "ancienne", "--nom", "Ancienne").exit_code == 0
    assert cli("association", "creer", "nouvelle", "--nom", "Nouvelle").exit_code == 0
    for listing in (cli("org", "list"), cli("association", "lister")):
        assert listing.exit_code == 0, listing.output
        assert "ancienne" in listing.output and "nouvelle" in listing.output
    assert cli("db", "current").output == cli("base", "version").output
    issued = cli("key", "issue", "ancienne")
    assert issued.exit_code == 0, issued.output
    assert "ancienne" in cli("cle", "lister", "ancienne").output
