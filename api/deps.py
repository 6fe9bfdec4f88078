"""Dependencies shared by routes: settings, database engine, reference data, publications.

Those that only read app state are `async`, so FastAPI does not hop to its threadpool for them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from api.publications import PublicationStore, ResponseCache
from api.settings import ApiSettings
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories


async def get_settings_dep(request: Request) -> ApiSettings:
    """The settings the app was built with."""
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    """The app's database engine."""
    return request.app.state.engine


async def get_territories(request: Request) -> Territories:
    """Reference territories loaded at start-up."""
    return request.app.state.territories


async def get_taxonomy(request: Request) -> Taxonomy:
    """The incident taxonomy loaded at start-up."""
    return request.app.state.taxonomy


async def get_publications(request: Request) -> PublicationStore:
    """The publications held in memory."""
    return request.app.state.publications


async def get_response_cache(request: Request) -> ResponseCache:
    """Rendered public responses, per publication and query."""
    return request.app.state.response_cache


SettingsDep = Annotated[ApiSettings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]
TerritoriesDep = Annotated[Territories, Depends(get_territories)]
TaxonomyDep = Annotated[Taxonomy, Depends(get_taxonomy)]
PublicationsDep = Annotated[PublicationStore, Depends(get_publications)]
ResponseCacheDep = Annotated[ResponseCache, Depends(get_response_cache)]
