"""Settings of the API deployable (on top of the core settings)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from observatoire.settings import Settings


class ApiSettings(Settings):
    """API settings: limits, exposure of docs, CORS, rate limits."""

    api_docs_enabled: bool = Field(True, description="Serve the interactive docs at `/docs`.")
    api_max_body_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, description="Largest request body accepted (413 beyond)."
    )
    api_max_file_bytes: int = Field(
        20 * 1024 * 1024,
        ge=1024,
        description="Largest file accepted by `POST /v1/soumissions/fichier` (413 beyond).",
    )
    api_file_max_rows: int = Field(
        100_000,
        ge=1,
        description="Most values one uploaded file may hold (a wide line holds several).",
    )
    api_rate_limit: str = Field(
        "60/minute",
        description="Requests allowed per API key on authenticated endpoints (`limits` notation).",
    )
    api_rate_limit_storage_uri: str = Field(
        "memory://",
        description="Storage of rate-limit counters (`limits` URI): `memory://` is per process; "
        "use `redis://host:6379` when running several workers.",
    )
    api_cors_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed to read public GET endpoints (never with credentials).",
    )
    publication_refresh_s: float = Field(
        5.0, gt=0, description="How often the API looks for a new publication (seconds)."
    )
    response_cache_entries: int = Field(
        4096, ge=16, description="Rendered public responses kept in memory."
    )
    api_replay_enabled: bool = Field(
        True,
        description="Answer a public GET that was answered before with the same inputs (path, "
        "query, `Accept-Encoding`, `Origin`, `If-None-Match`, publication) from memory, before "
        "the middleware stack; access log and metrics still record it.",
    )
    api_cache_max_age_s: int = Field(
        300, ge=0, description="`Cache-Control: max-age` of publication-bound responses."
    )

    # Operations (api/operations.py): logs, metrics, readiness, hardening.
    db_statement_timeout_ms: int = Field(
        15_000,
        ge=0,
        description="PostgreSQL `statement_timeout` of the API's connections (ms; 0: none), "
        "so that a stuck query answers 503 instead of hanging.",
    )
    api_log_format: Literal["json", "text"] = Field(
        "json", description="Log lines as JSON objects (one per line) or as plain text."
    )
    api_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level logged (`INFO` includes one access line per request)."
    )
    api_metrics_enabled: bool = Field(
        True, description="Serve Prometheus metrics at `/metrics` (restrict it at the proxy)."
    )
    api_readyz_timeout_s: float = Field(
        2.0, gt=0, description="Seconds `/readyz` waits for the database before answering 503."
    )
    api_retry_after_s: int = Field(
        5, ge=1, description="`Retry-After` (seconds) of 503 answers (database unavailable)."
    )
    api_hsts_max_age_s: int = Field(
        0,
        ge=0,
        description="`Strict-Transport-Security` max-age (seconds); 0 sends no header. "
        "Set it (e.g. 31536000) only when the API is served over HTTPS.",
    )


@lru_cache
def get_api_settings() -> ApiSettings:
    """The process-wide API settings."""
    return ApiSettings()
