"""The submission data contract (Table Schema), as committed in `contract/schema.json`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from observatoire.settings import REPO_ROOT

router = APIRouter(prefix="/v1", tags=["Référentiels"])
SCHEMA_FILE = REPO_ROOT / "contract" / "schema.json"


@lru_cache
def read_schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    """The committed schema (read once)."""
    return json.loads(path.read_text(encoding="utf-8"))


@router.get("/schema")
def get_schema() -> dict[str, Any]:
    """Le schéma des soumissions (Table Schema, conventions schema.data.gouv.fr) :
    colonnes, codes acceptés et limites, identique à `contract/schema.json`."""
    return read_schema()
