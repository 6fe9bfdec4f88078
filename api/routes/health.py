"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["Exploitation"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Le processus répond (ne vérifie pas la base de données)."""
    return {"statut": "ok"}
