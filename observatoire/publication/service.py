"""Compute, protect and store a publication; the vintage rules live here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from observatoire.domain.periods import (
    current_month,
    month_range,
    previous_month,
)
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.dimensions import (
    dep_id,
)
from observatoire.publication.fictive import publication_is_fictive
from observatoire.publication.plan import Plan, load_plan
from observatoire.publication.protection import ProtectedTable, protect_by_year
from observatoire.publication.stored import (
    Contributions,
    decode_contributions,
    encode_contributions,
    encode_cube,
    published_values,
)
from observatoire.settings import Settings
from observatoire.store.db import write_session
from observatoire.store.models import CurrentCount, Publication, Submission


class NothingToPublish(RuntimeError):
    """There is no new complete month (nor, without consolidation, anything else) to publish."""


@dataclass(frozen=True)
class PublicationPlan:
    """What a publication covers and which earlier cells constrain it."""

    kind: str
    first_month: str
    up_to: str
    new_months: list[str]


def latest_publication(session: Session) -> Publication | None:
    """The most recent publication, if any."""
    return session.exec(select(Publication).order_by(col(Publication.id).desc()).limit(1)).first()


def _data_months(session: Session) -> tuple[str | None, str | None]:
    row = session.exec(
        select(func.min(CurrentCount.mois), func.max(CurrentCount.mois)).where(
            CurrentCount.nombre > 0
        )
    ).one()
    return row[0], row[1]


def collect_contributions(session: Session, first: str, last: str) -> Contributions:
    """Current counts per (département id, type, month), split by organisation."""
    out: Contributions = defaultdict(dict)
    rows = session.exec(
        select(
            CurrentCount.departement,
            CurrentCount.type_incident,
            CurrentCount.mois,
            CurrentCount.organisation_id,
            CurrentCount.nombre,
        ).where(CurrentCount.nombre > 0, CurrentCount.mois >= first, CurrentCount.mois <= last)
    )
    for dep, typ, mois, org, n in rows:
        out[(dep_id(dep), typ, mois)][str(org)] = int(n)
    return out


def plan_publication(
    session: Session,
    previous: Publication | None,
    *,
    up_to: str | None,
    consolidate: bool,
    today: date | None,
) -> PublicationPlan:
    """Decide the months covered, refusing incomplete months and empty publications."""
    first_data, last_data = _data_months(session)
    last_complete = previous_month(current_month(today))
    if up_to is None:
        up_to = min(last_data, last_complete) if last_data else None
    if up_to is None:
        raise NothingToPublish("aucune donnée soumise : rien à publier")
    if up_to > last_complete:
        raise NothingToPublish(
            f"le mois {up_to} n'est pas terminé : dernier mois complet {last_complete}"
        )
    if previous is None or consolidate:
        candidates = [m for m in (first_data, previous.premier_mois if previous else None) if m]
        first = min(candidates) if candidates else up_to
        if previous is not None and up_to < previous.donnees_jusqu_a:
            raise NothingToPublish(
                f"une publication consolidée couvre au moins jusqu'à {previous.donnees_jusqu_a}"
            )
        kind = "consolidee" if previous is not None else "initiale"
        return PublicationPlan(kind, first, up_to, month_range(first, up_to))
    if up_to <= previous.donnees_jusqu_a:
        raise NothingToPublish(
            f"déjà publié jusqu'à {previous.donnees_jusqu_a} ; les corrections de mois "
            "déjà publiés attendent une publication consolidée (--consolidee)"
        )
    new = month_range(previous.donnees_jusqu_a, up_to)[1:]
    return PublicationPlan("mensuelle", previous.premier_mois, up_to, new)


def publish(
    engine: Engine,
    settings: Settings,
    *,
    up_to: str | None = None,
    consolidate: bool = False,
    today: date | None = None,
) -> Publication:
    """Compute the protected cube, audit it and store it as a new numbered publication."""
    territories = load_territories(settings.geodata_dir)
    taxonomy = load_taxonomy()
    k = settings.disclosure_k
    tables = load_plan(settings.publication_plan)
    with Session(engine) as session:
        previous = latest_publication(session)
        plan = plan_publication(
            session, previous, up_to=up_to, consolidate=consolidate, today=today
        )
        if previous is not None and not consolidate:
            contributions = decode_contributions(previous.valeurs_reelles)
            fresh = collect_contributions(session, plan.new_months[0], plan.up_to)
            contributions.update(fresh)
        else:
            contributions = collect_contributions(session, plan.first_month, plan.up_to)
        orgs = {int(o) for v in contributions.values() for o in v}
        synthetic = publication_is_fictive(session, orgs)  # refuses a fictive/real mix
        n_submissions = session.exec(select(func.count()).select_from(Submission)).one()
    old = published_values(previous.contenu) if previous is not None else None
    table = protect_by_year(
        contributions,
        territories,
        taxonomy,
        month_range(plan.first_month, plan.up_to),
        k,
        old,
        consolidate,
        tables,
        same_plan=previous is None or previous.plan_publication == tables.label,
    )
    return _store(
        engine,
        table,
        plan,
        contributions,
        k=k,
        synthetic=synthetic,
        associations=len(orgs),
        submissions=int(n_submissions),
        taxonomy_version=taxonomy.version,
        tables=tables,
    )


def _store(
    engine: Engine,
    table: ProtectedTable,
    plan: PublicationPlan,
    contributions: Contributions,
    *,
    k: int,
    synthetic: bool,
    associations: int,
    submissions: int,
    taxonomy_version: str,
    tables: Plan,
) -> Publication:
    row = Publication(
        type_publication=plan.kind,
        premier_mois=plan.first_month,
        donnees_jusqu_a=plan.up_to,
        seuil=k,
        cellules=table.planned_cells,
        cellules_secretes=table.hidden,
        associations=associations,
        soumissions=submissions,
        synthetique=synthetic,
        taxonomie_version=taxonomy_version,
        plan_publication=tables.label,
        secondes_protection=round(table.seconds, 3),
        contenu=encode_cube(
            table.territories, table.incidents, table.periods, table.published, tables
        ),
        valeurs_reelles=encode_contributions(contributions),
    )
    with write_session(engine) as session:
        session.add(row)
        session.flush()
        session.refresh(row)
        session.expunge(row)
    return row
