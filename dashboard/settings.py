"""Settings of the dashboard deployable: where the public API is and how long to wait for it."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DashboardSettings(BaseSettings):
    """Dashboard settings, read from `OBSERVATOIRE_*` environment variables (or `.env`)."""

    model_config = SettingsConfigDict(env_prefix="OBSERVATOIRE_", env_file=".env", extra="ignore")

    api_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL of the public API (`OBSERVATOIRE_API_URL`), without `/v1`.",
    )
    public_api_url: str | None = Field(
        None,
        description="URL of the API as readers reach it, cited on the methodology page "
        "(`OBSERVATOIRE_PUBLIC_API_URL`); unset: `api_url`.",
    )
    request_timeout_s: float = Field(
        10.0,
        gt=0,
        description="Seconds to wait for the API (connect and read) before showing an error.",
    )
    connect_timeout_s: float = Field(
        3.0, gt=0, description="Seconds to wait for a TCP connection to the API."
    )
    cache_ttl_s: int = Field(
        600,
        ge=0,
        description="Seconds an API answer is reused by every visitor before being fetched "
        "again (read once at start-up).",
    )
    espace_idle_timeout_s: int = Field(
        1800,
        ge=10,
        le=86_400,
        description="Seconds without any action after which the association space forgets the "
        "key and asks for it again (`OBSERVATOIRE_ESPACE_IDLE_TIMEOUT_S`).",
    )
    espace_guide_url: str | None = Field(
        None,
        description="Address of the associations' guide (`docs/guide-associations.md`) linked "
        "from the association space (`OBSERVATOIRE_ESPACE_GUIDE_URL`); unset: the guide's text "
        "is shown in the space when the file is present.",
    )


def get_dashboard_settings() -> DashboardSettings:
    """The settings for the current `OBSERVATOIRE_*` environment (tests change it).

    Reading them (environment and `.env` file) costs a few milliseconds and a page run asks
    about ten times, so they are kept per distinct set of those variables.
    """
    prefix = DashboardSettings.model_config.get("env_prefix", "")
    environment = tuple(
        sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(prefix.upper()))
    )
    return _settings_for(environment)


@lru_cache(maxsize=16)
def _settings_for(environment: tuple[tuple[str, str], ...]) -> DashboardSettings:
    return DashboardSettings()
