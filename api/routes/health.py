"""Liveness (`/healthz`) and readiness (`/readyz`)."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text

from api.operations import unavailable_body
from api.problems import PROBLEM_MEDIA_TYPE

router = APIRouter(tags=["Exploitation"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Le processus répond (ne vérifie pas la base de données)."""
    return {"statut": "ok"}


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def database_reachable(engine: Engine, timeout_s: float) -> bool:
    """Whether `SELECT 1` answers within `timeout_s` (a stuck thread is abandoned, not awaited)."""
    with anyio.move_on_after(timeout_s):
        try:
            await anyio.to_thread.run_sync(_ping, engine, abandon_on_cancel=True)
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False
        return True
    return False


class Pret(BaseModel):
    """Prêt à servir."""

    statut: str
    base_de_donnees: str
    publication: int | str = Field(description="Dernière publication chargée, ou « aucune ».")


@router.get(
    "/readyz",
    response_model=Pret,
    responses={
        503: {
            "description": "Pas prêt : base injoignable ou aucune publication chargée.",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"type": "object"}}},
        }
    },
)
async def readyz(request: Request) -> Any:
    """Prêt à servir : base de données joignable (délai court) **et** une publication chargée.

    Sinon 503 avec `Retry-After` ; `verifications` dit ce qui manque.
    """
    settings = request.app.state.settings
    database_ok = await database_reachable(request.app.state.engine, settings.api_readyz_timeout_s)
    publication_id = request.app.state.publications.latest_id
    checks = {
        "base_de_donnees": "ok" if database_ok else "injoignable",
        "publication": publication_id if publication_id is not None else "aucune",
    }
    if database_ok and publication_id is not None:
        return {"statut": "pret", **checks}
    missing = []
    if not database_ok:
        missing.append(f"base de données injoignable en {settings.api_readyz_timeout_s:g} s")
    if publication_id is None:
        missing.append("aucune publication chargée")
    body = unavailable_body(
        "Service pas encore prêt : " + " ; ".join(missing) + ".",
        "pas-pret",
        verifications=checks,
    )
    return JSONResponse(
        body,
        status_code=503,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Retry-After": str(settings.api_retry_after_s)},
    )
