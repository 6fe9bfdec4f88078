"""The FastAPI application: wiring only."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from api import image_views
from api.docs import install_docs
from api.metrics import FLUSH_INTERVAL_S, HttpMetrics
from api.middleware import BodySizeLimitMiddleware
from api.openapi_doc import install_contract
from api.operations import install_operations
from api.problems import install_problem_handlers
from api.publications import PublicationStore, ResponseCache
from api.ratelimit import RateLimiter
from api.replay import install_replay
from api.routes import (
    geodata,
    health,
    opendata,
    publications,
    reference,
    schema,
    soumissions,
    statistiques,
)
from api.routes import images as images_routes
from api.routes.alertes import router as alertes_router
from api.routes.association import router as association_router
from api.routes.calendrier import router as calendrier_router
from api.settings import ApiSettings, get_api_settings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.store.db import make_engine

logger = logging.getLogger("observatoire.api")

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
        metrics: HttpMetrics | None = app.state.http_metrics
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_watch_publications, app)
            if metrics is not None:
                tasks.start_soon(_flush_metrics, metrics)
            yield
            tasks.cancel_scope.cancel()
        if metrics is not None:
            metrics.flush()
        app.state.engine.dispose()

    app = FastAPI(
        title="Observatoire ANEF",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from installed assets by `install_docs`, never from a CDN
        redoc_url=None,
        license_info={"name": "Licence Ouverte 2.0 (données)", "identifier": "etalab-2.0"},
    )
    app.state.settings = settings
    if settings.api_docs_enabled:
        install_docs(app)
    app.state.engine = make_engine(settings.effective_database_url, settings)
    app.state.territories = load_territories(settings.geodata_dir)
    app.state.taxonomy = load_taxonomy()
    app.state.publications = PublicationStore(app.state.engine)
    app.state.response_cache = ResponseCache(settings.response_cache_entries)
    app.include_router(health.router)
    app.include_router(reference.router)
    app.include_router(schema.router)
    app.include_router(geodata.router)
    app.state.rate_limiter = RateLimiter(
        settings.api_rate_limit, settings.api_rate_limit_storage_uri
    )
    install_problem_handlers(app)
    app.include_router(soumissions.router)
    app.include_router(association_router)
    app.include_router(calendrier_router)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.api_max_body_bytes,
        by_path={"/v1/soumissions/fichier": settings.api_max_file_bytes},
    )
    app.include_router(statistiques.router)
    app.include_router(opendata.router)
    app.include_router(publications.router)
    app.include_router(alertes_router)
    app.include_router(images_routes.router)
    install_operations(app, settings)
    install_replay(app, settings)
    install_contract(app)
    return app


async def _watch_publications(app: FastAPI) -> None:
    """Poll for new publications off the request path, so reads only touch memory."""
    store: PublicationStore = app.state.publications
    warmed: tuple[int, str] | None = None
    while True:
        try:
            await anyio.to_thread.run_sync(store.refresh)
            latest = store.get(store.latest_id) if store.latest_id is not None else None
            if latest is not None and (latest.meta.id, latest.meta.publiee_le) != warmed:
                warmed = (latest.meta.id, latest.meta.publiee_le)
                # The images a reader's first visit asks for, drawn before anyone asks.
                await anyio.to_thread.run_sync(image_views.warm, app, latest)
        except Exception:  # noqa: BLE001 - a database hiccup must not kill the poller
            logger.warning("publication refresh failed", exc_info=True)
        await anyio.sleep(app.state.settings.publication_refresh_s)


async def _flush_metrics(metrics: HttpMetrics) -> None:
    """Hand the requests counted in this process to Prometheus every `FLUSH_INTERVAL_S`."""
    while True:
        await anyio.sleep(FLUSH_INTERVAL_S)
        try:
            metrics.flush()
        except Exception:  # noqa: BLE001 - a failed write to the metrics files must not kill the app
            logger.warning("metrics flush failed", exc_info=True)


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory api.main:app_factory`."""
    return create_app()
