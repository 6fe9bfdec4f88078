"""Organisations (associations) that submit counts: created and listed by an administrator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from observatoire.domain.periods import MONTH_RE
from observatoire.store.db import read_session, write_session
from observatoire.store.models import ApiKey, Organisation

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


class OrganisationError(ValueError):
    """A refused organisation operation; the message is for the administrator (French)."""


@dataclass(frozen=True)
class OrganisationInfo:
    """An organisation and how many active keys it holds."""

    id: int
    slug: str
    nom: str
    synthetique: bool
    cree_le: datetime
    cles_actives: int


def create_organisation(
    engine: Engine, slug: str, nom: str, *, synthetique: bool = False
) -> OrganisationInfo:
    """Create an organisation; the slug is unique, lowercase letters, digits and dashes."""
    if not SLUG_RE.match(slug):
        raise OrganisationError(
            f"identifiant « {slug} » invalide : 3 à 64 caractères, minuscules, chiffres et tirets"
        )
    if not nom.strip():
        raise OrganisationError("le nom de l'organisation est obligatoire")
    try:
        with write_session(engine) as session:
            org = Organisation(slug=slug, nom=nom.strip(), synthetique=synthetique)
            session.add(org)
            session.flush()
            info = _info(org, 0)
    except IntegrityError as exc:
        raise OrganisationError(f"l'organisation « {slug} » existe déjà") from exc
    return info


def set_start_month(engine: Engine, slug: str, debut: str | None) -> None:
    """Declare the first month the organisation reports (`AAAA-MM`; None: undeclared)."""
    if debut is not None and not MONTH_RE.match(debut):
        raise OrganisationError(f"mois « {debut} » invalide : format AAAA-MM attendu")
    with write_session(engine) as session:
        org = session.execute(
            select(Organisation).where(Organisation.slug == slug)
        ).scalar_one_or_none()
        if org is None:
            raise OrganisationError(
                f"aucune organisation « {slug} » (voir `observatoire org list`)"
            )
        org.debut = debut
        session.add(org)


def list_organisations(engine: Engine) -> list[OrganisationInfo]:
    """Every organisation, by slug, with its number of active keys."""
    active = (
        select(ApiKey.organisation_id, func.count().label("n"))
        .where(ApiKey.revoquee_le.is_(None))  # type: ignore[union-attr]
        .group_by(ApiKey.organisation_id)
        .subquery()
    )
    query = (
        select(Organisation, func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.organisation_id == Organisation.id)
        .order_by(Organisation.slug)
    )
    with read_session(engine) as session:
        return [_info(org, n) for org, n in session.execute(query).all()]


def get_organisation(engine: Engine, slug: str) -> OrganisationInfo:
    """The organisation with this slug, or OrganisationError."""
    for info in list_organisations(engine):
        if info.slug == slug:
            return info
    raise OrganisationError(f"aucune organisation « {slug} » (voir `observatoire org list`)")


def _info(org: Organisation, active_keys: int) -> OrganisationInfo:
    assert org.id is not None
    return OrganisationInfo(org.id, org.slug, org.nom, org.synthetique, org.cree_le, active_keys)
