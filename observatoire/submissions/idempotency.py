"""Idempotency keys: the first response to a key is stored and replayed on retries.

The unique constraint (organisation_id, cle) is the lock: a claim inserts an `en_cours`
record in its own committed transaction, so a concurrent request with the same key fails
on the constraint and finds the record (in flight → conflict, done → replay, other body →
mismatch). Every final response is stored, validation failures (422) included: the
answer to a given body is deterministic, and a corrected body needs a new key anyway.
A request that fails unexpectedly (500) releases its claim so that it can be retried.
A claim left in flight longer than `stale_after_s` (a crash, or the database lost between the
batch's commit and the record's) may be taken over by a retry of the same body: submitted
counts are values, not increments, so storing the same batch again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from observatoire.store.db import read_session, write_session
from observatoire.store.models import IdempotencyRecord

IN_FLIGHT = "en_cours"
DONE = "termine"


@dataclass(frozen=True)
class Claim:
    """Outcome of claiming a key: `claimed` (go on), `in_flight`, `replay` or `mismatch`."""

    state: Literal["claimed", "in_flight", "replay", "mismatch"]
    record_id: int | None = None
    status_code: int | None = None
    body: Any = None


def fingerprint(*parts: bytes | str) -> str:
    """SHA-256 of everything that defines a request (body, media type, options)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def claim(
    engine: Engine,
    organisation_id: int,
    key: str,
    request_fingerprint: str,
    *,
    stale_after_s: float = 120.0,
) -> Claim:
    """Claim `key` for this request, or say why the request must not be processed."""
    for _ in range(3):  # the existing record may be released between our two statements
        try:
            with write_session(engine) as session:
                record = IdempotencyRecord(
                    organisation_id=organisation_id, cle=key, empreinte=request_fingerprint
                )
                session.add(record)
                session.flush()
                return Claim("claimed", record_id=record.id)
        except IntegrityError:
            pass
        with read_session(engine) as session:
            existing = session.execute(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.organisation_id == organisation_id,
                    IdempotencyRecord.cle == key,
                )
            ).scalar_one_or_none()
        if existing is None:
            continue
        if existing.empreinte != request_fingerprint:
            return Claim("mismatch", record_id=existing.id)
        if existing.statut != DONE:
            if _take_over_stale(engine, existing, stale_after_s):
                return Claim("claimed", record_id=existing.id)
            return Claim("in_flight", record_id=existing.id)
        return Claim(
            "replay",
            record_id=existing.id,
            status_code=existing.code_http,
            body=json.loads(existing.reponse or "null"),
        )
    return Claim("in_flight")


def _take_over_stale(engine: Engine, record: IdempotencyRecord, stale_after_s: float) -> bool:
    """Atomically re-claim an abandoned in-flight record (only one retry can win)."""
    now = datetime.now(UTC)
    created = record.cree_le if record.cree_le.tzinfo else record.cree_le.replace(tzinfo=UTC)
    if now - created < timedelta(seconds=stale_after_s):
        return False
    with write_session(engine) as session:
        result = session.execute(
            update(IdempotencyRecord)
            .where(
                IdempotencyRecord.id == record.id,  # type: ignore[arg-type]
                IdempotencyRecord.statut == IN_FLIGHT,  # type: ignore[arg-type]
                IdempotencyRecord.cree_le == record.cree_le,  # type: ignore[arg-type]
            )
            .values(cree_le=now)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


def complete(engine: Engine, record_id: int, status_code: int, body: Any) -> None:
    """Store the final response of a claimed key."""
    with write_session(engine) as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id)  # type: ignore[arg-type]
            .values(
                statut=DONE,
                code_http=status_code,
                reponse=json.dumps(body, ensure_ascii=False),
            )
        )


def release(engine: Engine, record_id: int) -> None:
    """Forget a claim whose processing failed unexpectedly (the client may retry)."""
    with write_session(engine) as session:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))  # type: ignore[arg-type]
