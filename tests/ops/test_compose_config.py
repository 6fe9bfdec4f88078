"""docker-compose.yml, Dockerfile and .env.example: valid, and every reference resolves."""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer.main
import yaml

from api.settings import ApiSettings
from dashboard.settings import DashboardSettings
from etl.cli import app as cli_app
from observatoire.loading.table import LoaderSettings

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
# Variables read by third-party software, not by our settings classes.
FOREIGN_VARIABLES = {
    "POSTGRES_USER",  # postgres image
    "POSTGRES_DB",
    "POSTGRES_PASSWORD",
    "PROMETHEUS_MULTIPROC_DIR",  # prometheus_client multi-process mode
    "API_PORT",  # host ports, compose interpolation only
    "DASHBOARD_PORT",
}


def known_settings() -> set[str]:
    names = {n.upper() for cls in (ApiSettings, LoaderSettings) for n in cls.model_fields}
    prefix = DashboardSettings.model_config.get("env_prefix", "")
    return names | {(prefix + n).upper() for n in DashboardSettings.model_fields}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def app_commands() -> list[list[str]]:
    """Each command a service runs, split into argv (inside `sh -c` scripts too)."""
    commands = []
    for service in compose()["services"].values():
        argv = service.get("command")
        if not argv:
            continue
        if argv[:2] == ["sh", "-c"]:
            for part in re.split(r"&&|;|\|\||\bdo\b|\bdone\b", argv[2]):
                words = shlex.split(part)
                if words and words[0] == "exec":
                    words = words[1:]
                if words and words[0] in {"observatoire", "uvicorn", "streamlit"}:
                    commands.append(words)
        else:
            commands.append(list(argv))
    return commands


def test_compose_matches_the_compose_spec() -> None:
    tool = shutil.which("check-jsonschema") or str(REPO / ".venv/bin/check-jsonschema")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_expected_services_and_ordering() -> None:
    services = compose()["services"]
    assert set(services) >= {"postgres", "migrate", "api", "dashboard", "publish"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    migrate = services["api"]["depends_on"]["migrate"]["condition"]
    assert migrate == "service_completed_successfully"
    assert "/healthz" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["dashboard"]["environment"]["OBSERVATOIRE_API_URL"] == "http://api:8000"
    assert "pgdata" in compose()["volumes"]


def test_every_service_command_exists() -> None:
    cli = typer.main.get_command(cli_app)
    seen = set()
    for argv in app_commands():
        seen.add(argv[0])
        if argv[0] == "observatoire":
            command = cli
            ctx = cli.context_class(cli)
            for word in [w for w in argv[1:] if not w.startswith("-")]:
                assert hasattr(command, "get_command"), f"{argv}: {word!r} is an argument?"
                sub = command.get_command(ctx, word)
                assert sub is not None, f"unknown subcommand {word!r} in {argv}"
                command = sub
            assert not hasattr(command, "get_command"), f"{argv} names a group, not a command"
        elif argv[0] == "uvicorn":
            assert "--factory" in argv
            target = next(w for w in argv[1:] if ":" in w and not w.startswith("-"))
            module, attr = target.split(":")
            assert callable(getattr(importlib.import_module(module), attr))
        elif argv[0] == "streamlit":
            assert argv[1] == "run" and (REPO / argv[2]).is_file()
    assert seen == {"observatoire", "uvicorn", "streamlit"}


def test_every_variable_is_a_known_setting() -> None:
    text = COMPOSE.read_text()
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    for service in compose()["services"].values():
        used |= set(service.get("environment") or {})
    unknown = used - known_settings() - FOREIGN_VARIABLES
    assert not unknown, f"variables that no setting reads: {sorted(unknown)}"


def test_env_example_lists_every_setting() -> None:
    text = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    assert known_settings() - listed == set()
    assert listed - known_settings() - FOREIGN_VARIABLES == set()
    assert re.search(r"^ENVIRONMENT=production$", text, flags=re.MULTILINE)
    assert re.search(r"^API_KEY_PEPPER=$", text, flags=re.MULTILINE)  # no default secret


def test_dockerfile_stages_and_runtime_user() -> None:
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
    assert stages == ["builder", "runtime"]
    for referenced in re.findall(r"--from=([A-Za-z0-9_-]+)\s", text):
        assert referenced in stages or "/" in referenced  # a stage, or an image
    for service in compose()["services"].values():
        target = (service.get("build") or {}).get("target")
        assert target is None or target in stages
    runtime = text.split(" AS runtime", 1)[1]
    assert re.search(r"^USER\s+(?!root\b|0\b)\S+", runtime, flags=re.MULTILINE)
    assert not re.search(r"apt-get install|gcc|build-essential|/uv\b", runtime)
    for source in re.findall(r"^COPY\s+(?!--from)(\S+)\s", text, flags=re.MULTILINE):
        assert (REPO / source).exists(), source


@pytest.mark.parametrize("name", ["deploiement", "exploitation", "api-stabilite"])
def test_docs_exist(name: str) -> None:
    assert (REPO / "docs" / f"{name}.md").stat().st_size > 500
