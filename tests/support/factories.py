"""Plain factories shared by tests: organisations, keys, rows, clients."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.main import create_app
from api.settings import ApiSettings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.settings import Settings
from observatoire.submissions.keys import IssuedKey, issue_key
from observatoire.submissions.organisations import OrganisationInfo, create_organisation

_counter = itertools.count(1)


def make_org(engine: Engine, slug: str | None = None, **kwargs: Any) -> OrganisationInfo:
    """A new organisation (unique slug unless given)."""
    slug = slug or f"asso-{next(_counter)}"
    return create_organisation(engine, slug, kwargs.pop("nom", f"Association {slug}"), **kwargs)


def make_key(engine: Engine, settings: Settings, org: OrganisationInfo | str) -> IssuedKey:
    """A new active key for an organisation (object or slug)."""
    slug = org if isinstance(org, str) else org.slug
    return issue_key(engine, slug, settings.effective_pepper)


def make_row(**overrides: Any) -> dict[str, Any]:
    """One valid submission row."""
    row: dict[str, Any] = {
        "departement": "93",
        "mois": "2025-03",
        "type_incident": "rdv_indisponible",
        "nombre": 12,
    }
    row.update(overrides)
    return row


def make_rows(
    count: int, *, months: tuple[str, ...] = ("2025-03",), start: int = 0, nombre: int = 5
) -> list[dict[str, Any]]:
    """`count` valid rows on distinct cells (months × types × départements) from cell `start`."""
    departements = [d.code for d in load_territories().departements]
    types = load_taxonomy().type_codes
    cells = [(d, m, t) for m in months for t in types for d in departements]
    if start + count > len(cells):
        raise ValueError(f"only {len(cells)} cells in {months}")
    return [
        {"departement": d, "mois": m, "type_incident": t, "nombre": nombre}
        for d, m, t in cells[start : start + count]
    ]


def make_client(settings: ApiSettings) -> TestClient:
    """A test client on a fresh app (use it as a context manager)."""
    return TestClient(create_app(settings))


def bearer(key: IssuedKey | str) -> dict[str, str]:
    """The Authorization header for a key."""
    return {"Authorization": f"Bearer {key if isinstance(key, str) else key.key}"}
