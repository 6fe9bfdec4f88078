"""API keys: `obs_<public prefix>_<secret>`; only an HMAC-SHA256 peppered with a server secret
is stored, found by its prefix and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, select, update
from sqlmodel import col

from observatoire.store.db import read_session, write_session
from observatoire.store.models import ApiKey, Organisation

KEY_SCHEME = "obs"
MAX_ACTIVE_KEYS = 2  # rotation: issue the new key, switch clients, revoke the old one
# Recording every use would make each request a write (one SQLite writer): a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_DUMMY_HMAC = "0" * 64


class ApiKeyError(ValueError):
    """A refused key operation; the message is for the administrator (French)."""


@dataclass(frozen=True)
class IssuedKey:
    """A freshly issued key: `key` is shown once and never stored."""

    key: str
    prefix: str
    organisation_slug: str


@dataclass(frozen=True)
class AuthenticatedKey:
    """Who is calling: the organisation behind a valid, unrevoked key."""

    organisation_id: int
    organisation_slug: str
    key_prefix: str


@dataclass(frozen=True)
class KeyInfo:
    """A key as listed for administrators (never its secret)."""

    prefix: str
    organisation_slug: str
    cree_le: datetime
    revoquee_le: datetime | None
    derniere_utilisation: datetime | None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoquee_le is None


def key_hmac(key: str, pepper: bytes) -> str:
    """Hex HMAC-SHA256 of the whole key under the server pepper."""
    return hmac.new(pepper, key.encode("utf-8"), hashlib.sha256).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or not parts[1] or len(parts[2]) < 43:
        return None
    return parts[1], parts[2]


def issue_key(
    engine: Engine, slug: str, pepper: bytes, *, expires_at: datetime | None = None
) -> IssuedKey:
    """Issue a key for an organisation (valid until `expires_at`, if given); refused when it
    already holds two active keys."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"  # 256 bits of secret
    with write_session(engine) as session:
        # FOR UPDATE serialises concurrent issues for one organisation on PostgreSQL
        # (SQLite's BEGIN IMMEDIATE already does).
        org = session.execute(
            select(Organisation).where(Organisation.slug == slug).with_for_update()
        ).scalar_one_or_none()
        if org is None:
            raise ApiKeyError(f"aucune organisation « {slug} » (voir `observatoire org list`)")
        active = (
            session.execute(
                select(ApiKey.prefix).where(
                    ApiKey.organisation_id == org.id,
                    ApiKey.revoquee_le.is_(None),  # type: ignore[union-attr]
                    or_(
                        col(ApiKey.expire_le).is_(None),
                        col(ApiKey.expire_le) > datetime.now(UTC),
                    ),
                )
            )
            .scalars()
            .all()
        )
        if len(active) >= MAX_ACTIVE_KEYS:
            raise ApiKeyError(
                f"« {slug} » a déjà {len(active)} clés actives ({', '.join(sorted(active))}) : "
                "révoquez-en une avec `observatoire key revoke PREFIXE` "
                "avant d'en émettre une autre"
            )
        assert org.id is not None
        session.add(
            ApiKey(
                organisation_id=org.id,
                prefix=prefix,
                key_hmac=key_hmac(key, pepper),
                expire_le=expires_at,
            )
        )
    return IssuedKey(key=key, prefix=prefix, organisation_slug=slug)


def verify_key(engine: Engine, key: str, pepper: bytes) -> AuthenticatedKey | None:
    """The caller behind `key`, or None when it is malformed, unknown, revoked or expired."""
    checked = check_key(engine, key, pepper)
    return checked if isinstance(checked, AuthenticatedKey) else None


def check_key(engine: Engine, key: str, pepper: bytes) -> AuthenticatedKey | str:
    """The caller behind `key`, or why it is refused: `invalide` (malformed, unknown, wrong),
    `revoquee` or `expiree` — the last two only to whoever holds the whole key."""
    parsed = split_key(key)
    prefix = parsed[0] if parsed else ""
    with read_session(engine) as session:
        row = session.execute(
            select(ApiKey, Organisation.slug)
            .join(Organisation, Organisation.id == ApiKey.organisation_id)
            .where(ApiKey.prefix == prefix)
        ).one_or_none()
    stored = row[0].key_hmac if row else _DUMMY_HMAC
    # Always compute and compare, so that timing does not tell whether the prefix exists.
    matches = hmac.compare_digest(key_hmac(key, pepper), stored)
    if row is None or not matches or parsed is None:
        return "invalide"
    if row[0].revoquee_le is not None:
        return "revoquee"
    expires = row[0].expire_le
    if expires is not None and _aware(expires) <= datetime.now(UTC):
        return "expiree"
    api_key, slug = row
    _touch(engine, api_key)
    return AuthenticatedKey(
        organisation_id=api_key.organisation_id, organisation_slug=slug, key_prefix=prefix
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _touch(engine: Engine, api_key: ApiKey) -> None:
    now = datetime.now(UTC)
    last = api_key.derniere_utilisation
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    with write_session(engine) as session:
        session.execute(
            update(ApiKey).where(ApiKey.id == api_key.id).values(derniere_utilisation=now)  # type: ignore[arg-type]
        )


def revoke_key(engine: Engine, prefix: str) -> KeyInfo:
    """Revoke a key by prefix; effective on the next request."""
    with write_session(engine) as session:
        row = session.execute(
            select(ApiKey, Organisation.slug)
            .join(Organisation, Organisation.id == ApiKey.organisation_id)
            .where(ApiKey.prefix == prefix)
        ).one_or_none()
        if row is None:
            raise ApiKeyError(f"aucune clé de préfixe « {prefix} » (voir `observatoire key list`)")
        api_key, slug = row
        if api_key.revoquee_le is not None:
            raise ApiKeyError(f"la clé « {prefix} » est déjà révoquée")
        api_key.revoquee_le = datetime.now(UTC)
        session.add(api_key)
        session.flush()
        return _key_info(api_key, slug)


def list_keys(engine: Engine, slug: str | None = None) -> list[KeyInfo]:
    """Keys (active and revoked) of one organisation or of all, oldest first."""
    query = (
        select(ApiKey, Organisation.slug)
        .join(Organisation, Organisation.id == ApiKey.organisation_id)
        .order_by(Organisation.slug, ApiKey.id)
    )
    if slug is not None:
        query = query.where(Organisation.slug == slug)
    with read_session(engine) as session:
        return [_key_info(k, s) for k, s in session.execute(query).all()]


def _key_info(api_key: ApiKey, slug: str) -> KeyInfo:
    return KeyInfo(
        prefix=api_key.prefix,
        organisation_slug=slug,
        cree_le=api_key.cree_le,
        revoquee_le=api_key.revoquee_le,
        derniere_utilisation=api_key.derniere_utilisation,
    )
