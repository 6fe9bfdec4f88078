"""Settings shared by every deployable (API, ETL/CLI): database, disclosure threshold, secrets."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

# Refused outside development: a placeholder is as good as no secret.
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "pepper"}
DEVELOPMENT_PEPPER = "development-only-pepper-never-use-in-production"


class Settings(BaseSettings):
    """Core settings, read from the environment (and an optional `.env` file)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development",
        description="`production` refuses placeholder secrets and development defaults.",
    )
    data_dir: Path = Field(
        Path("data"), description="Folder of the embedded SQLite database (default `./data`)."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL. Unset: SQLite file `DATA_DIR/observatoire.db`. "
        "PostgreSQL: `postgresql+psycopg://user@host/db`.",
    )
    sqlite_busy_timeout_ms: int = Field(
        30_000, ge=0, description="How long a SQLite writer waits for the lock before failing."
    )
    db_pool_timeout_s: float = Field(
        5.0, gt=0, description="Seconds to wait for a pooled connection before answering 503."
    )
    db_connect_timeout_s: int = Field(
        5, ge=1, description="Seconds to wait for a new PostgreSQL connection before failing."
    )
    db_statement_timeout_ms: int = Field(
        0,
        ge=0,
        description="PostgreSQL `statement_timeout` in ms (0: none; the API sets its own).",
    )
    geodata_dir: Path = Field(
        REPO_ROOT / "geodata", description="Folder of the committed reference and map files."
    )
    disclosure_k: int = Field(
        11,
        ge=2,
        description="Disclosure threshold k: a published count n with 1 <= n < k is hidden.",
    )
    publication_plan: str = Field(
        "lecteurs",
        min_length=1,
        description="Publication plan: the tables published (`lecteurs`, the default, or "
        "`complet`: every crossing; or the path of a plan `.json`). See "
        "observatoire/data/plans_publication.json and the methodology page.",
    )
    api_key_pepper: str | None = Field(
        None,
        description="Server secret mixed into the HMAC of API keys. Required outside development.",
    )
    submission_start_month: str = Field(
        "2020-01", pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Earliest month accepted."
    )
    submission_max_rows: int = Field(
        10_000, ge=1, description="Largest number of rows accepted in one submission."
    )
    idempotency_stale_after_s: float = Field(
        120.0,
        gt=0,
        description="Seconds after which an unfinished Idempotency-Key claim may be retried.",
    )
    submission_max_count: int = Field(
        1_000_000, ge=1, description="Largest count accepted in one row."
    )
    publication_monthly_day: int = Field(
        5,
        ge=1,
        le=28,
        description="Day of each month (Europe/Paris) of the monthly publication, which adds "
        "the month just ended.",
    )
    publication_consolidated_day: int = Field(
        20,
        ge=1,
        le=28,
        description="Day of each month of the consolidated publication (late figures and "
        "corrections of published months, audited with the earlier vintages), when some wait.",
    )
    scheduler_interval_s: float = Field(
        3600.0,
        gt=0,
        description="Seconds between two checks of `observatoire planifier` for a due publication.",
    )

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production":
            pepper = (self.api_key_pepper or "").strip().lower()
            if pepper in PLACEHOLDER_SECRETS or len(pepper) < 16:
                raise ValueError(
                    "API_KEY_PEPPER must be set to a random secret of at least 16 characters "
                    "in production (python -c 'import secrets; print(secrets.token_hex(32))')."
                )
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file."""
        if self.database_url:
            url = self.database_url
            # Plain postgres URLs (as docker and PaaS give them) use psycopg 3.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{(self.data_dir / 'observatoire.db').as_posix()}"

    @property
    def effective_pepper(self) -> bytes:
        """The HMAC pepper; development and test fall back to a fixed, labelled value."""
        if self.api_key_pepper:
            return self.api_key_pepper.encode()
        if self.environment == "production":  # pragma: no cover - refused by the validator
            raise RuntimeError("API_KEY_PEPPER is required in production")
        return DEVELOPMENT_PEPPER.encode()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own `Settings`)."""
    return Settings()
