"""Docs drift: the configuration page and the README's commands match the code."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from etl.cli import app
from scripts.settings_doc import BEGIN, CONFIGURATION_DOC, END, settings_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_configuration_page_settings_table_is_generated_from_the_code():
    text = CONFIGURATION_DOC.read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == settings_table(), "run `python scripts/settings_doc.py` to refresh it"


def test_every_setting_has_a_description():
    for line in settings_table().splitlines():
        if line.startswith("| `"):
            assert not line.rstrip().endswith("| None |"), line


def test_readme_has_exactly_the_two_setup_commands_and_documents_every_cli_command():
    setup = re.search(r"## Démarrer.*?```bash\n(.*?)```", README, flags=re.S).group(1)
    assert [line.split()[0:2] for line in setup.strip().splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for name, command in commands.items():
        if command.hidden:  # the English names kept for one release
            continue
        assert f"`observatoire {name}" in README, f"`observatoire {name}` is not in the README"
