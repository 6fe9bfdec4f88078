"""The association space under test: real API and dashboard servers, keys, files, browser steps.

`espace_servers()` starts the API on a fresh database holding two associations (one key each,
plus a revoked key) and the dashboard reading it. The browser helpers drive Streamlit's own
widgets the way a person does (labels, buttons), and wait for each rerun to finish.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.browser import (  # noqa: F401 - the journeys import them from here
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    require_chromium,
)
from tests.support.live_servers import REPO_ROOT, running_api, running_dashboard

CAPTURES = REPO_ROOT / "docs" / "captures"
TIMEOUT_MS = 60_000


@dataclass
class Keys:
    """The keys issued in the test database (full keys: tests only)."""

    main: str = ""
    other: str = ""
    revoked: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def prepare_associations(keys: Keys):  # type: ignore[no-untyped-def]
    """A `running_api(prepare=...)` hook creating two associations and their keys."""

    def prepare(database_url: str) -> None:
        from api.settings import ApiSettings
        from observatoire.store.db import make_engine
        from observatoire.submissions.keys import issue_key, revoke_key
        from observatoire.submissions.organisations import create_organisation

        settings = ApiSettings(environment="test", database_url=database_url)
        engine = make_engine(settings.effective_database_url, settings)
        pepper = settings.effective_pepper
        try:
            create_organisation(engine, "asso-solidarite", "Solidarité Exemple")
            create_organisation(engine, "asso-voisine", "Association voisine")
            keys.main = issue_key(engine, "asso-solidarite", pepper).key
            keys.other = issue_key(engine, "asso-voisine", pepper).key
            revoked = issue_key(engine, "asso-voisine", pepper)
            revoke_key(engine, revoked.prefix)
            keys.revoked = revoked.key
        finally:
            engine.dispose()

    return prepare


@contextmanager
def espace_servers(
    workdir: Path, api_env: dict[str, str] | None = None, **dashboard_env: str
) -> Iterator[tuple[str, str, Keys]]:
    """(dashboard URL, API URL, keys) with both servers running; `dashboard_env` are
    dashboard settings (`espace_idle_timeout_s="10"`), `api_env` the API's variables."""
    keys = Keys(extra={"logs": [workdir / "api.log", workdir / "dashboard.log"]})
    env = {f"OBSERVATOIRE_{k.upper()}": v for k, v in dashboard_env.items()}
    with (
        running_api(workdir, prepare=prepare_associations(keys), extra_env=api_env) as api_url,
        running_dashboard(workdir, api_url, env=env) as url,
    ):
        yield url, api_url, keys


def api_get(api_url: str, path: str, key: str) -> Any:
    """GET an association route directly (to check what the browser did)."""
    response = httpx.get(api_url + path, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    response.raise_for_status()
    return response.json()


def spreadsheet_csv(lines: list[str]) -> bytes:
    """What a French spreadsheet exports: cp1252, `;`, CRLF, a title-cased header."""
    text = "Département;Mois;Type;Nombre\r\n" + "".join(line + "\r\n" for line in lines)
    return text.encode("cp1252")


def launch(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(200)


def open_space(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open the association space from the dashboard's navigation."""
    page.goto(f"{url}/espace")
    page.get_by_role("heading", name="Espace association").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


def sign_in(page, key: str) -> None:  # type: ignore[no-untyped-def]
    """Type the key in the password field and press « Se connecter »."""
    field_ = page.get_by_label("Clé d'API de l'association", exact=True)
    assert field_.get_attribute("type") == "password"
    field_.fill(key)
    page.get_by_role("button", name="Se connecter").click()
    settle(page)


def section(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Pick one of the space's sections (« Mes envois », …)."""
    page.locator("[data-testid='stRadio']").get_by_text(name, exact=True).click()
    settle(page)


def upload(page, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    """Drop a file on the space's file picker."""
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    settle(page)


def shot(page, name: str, *, capture: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """Screenshot to artifacts/; with `capture` and OBSERVATOIRE_CAPTURES=1, also to the
    guide's docs/captures/ as a small palette PNG."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    png = page.screenshot(full_page=False)
    path.write_bytes(png)
    if capture and os.environ.get("OBSERVATOIRE_CAPTURES") == "1":
        from PIL import Image

        CAPTURES.mkdir(parents=True, exist_ok=True)
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(CAPTURES / name, optimize=True)
    return path


def page_secrets(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every place a browser could keep a key: HTML, URL, storages, cookies."""
    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    cookies = str(page.context.cookies())
    return {"html": page.content(), "url": page.url, "storage": storage, "cookies": cookies}
