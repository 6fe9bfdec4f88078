"""Dependencies shared by routes: settings, database engine, sessions.

Those that only read app state are `async`, so FastAPI does not hop to its threadpool for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from api.settings import ApiSettings
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories


async def get_settings_dep(request: Request) -> ApiSettings:
    """The settings the app was built with."""
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    """The app's database engine."""
    return request.app.state.engine


def get_session(request: Request) -> Iterator[Session]:
    """A read session on the app's engine."""
    with Session(request.app.state.engine) as session:
        yield session


async def get_territories(request: Request) -> Territories:
    """Reference territories loaded at start-up."""
    return request.app.state.territories


async def get_taxonomy(request: Request) -> Taxonomy:
    """The incident taxonomy loaded at start-up."""
    return request.app.state.taxonomy


SettingsDep = Annotated[ApiSettings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
TerritoriesDep = Annotated[Territories, Depends(get_territories)]
TaxonomyDep = Annotated[Taxonomy, Depends(get_taxonomy)]
