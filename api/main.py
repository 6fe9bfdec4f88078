"""The FastAPI application: wiring only."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import geodata, health, reference
from api.settings import ApiSettings, get_api_settings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.store.db import make_engine

DESCRIPTION = """
API de l'**Observatoire ANEF** : statistiques publiques et anonymisées des défaillances de
l'Administration numérique des étrangers en France (ANEF), déclarées par des associations.

* Les lectures publiques ne portent que sur des **publications** figées et protégées par le
  secret statistique (cellules de 1 à k−1 masquées, masquage secondaire audité).
* Les associations soumettent des comptages agrégés avec une clé d'API (`Authorization: Bearer`).
"""


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the application for `settings` (default: the environment)."""
    settings = settings or get_api_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="Observatoire ANEF",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs_enabled else None,
        redoc_url=None,
        license_info={"name": "Licence Ouverte 2.0 (données)", "identifier": "etalab-2.0"},
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.effective_database_url, settings)
    app.state.territories = load_territories(settings.geodata_dir)
    app.state.taxonomy = load_taxonomy()
    app.include_router(health.router)
    app.include_router(reference.router)
    app.include_router(geodata.router)
    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory api.main:app_factory`."""
    return create_app()
