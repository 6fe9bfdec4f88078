"""Fictive (demo) and real data are kept apart: a publication is wholly one or the other, and
the demo can be removed whole.

Why: a publication mixing the demo's fictive associations with a real one would carry fictive
numbers under a real label (the « Données fictives » banner gone). So `publish()` refuses the
mix and names the command that removes the demo (`observatoire supprimer-demo`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, Table, delete, false, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from observatoire.publication.stored import decode_contributions
from observatoire.store.db import write_session
from observatoire.store.models import Organisation, Publication

PURGE_COMMAND = "observatoire supprimer-demo"


class FictiveMixRefused(RuntimeError):
    """Fictive (demo) and real associations would be published together."""


def publication_is_fictive(session: Session, organisation_ids: Iterable[int]) -> bool:
    """Whether the contributions of `organisation_ids` make a fictive publication.

    All fictive: True. All real (or none): False. A mix: `FictiveMixRefused`, naming both sides
    and the command that removes the demo.
    """
    ids = set(organisation_ids)
    if not ids:
        return False
    orgs = session.exec(select(Organisation).where(col(Organisation.id).in_(ids))).all()
    fictive = sorted(o.nom for o in orgs if o.synthetique)
    real = sorted(o.nom for o in orgs if not o.synthetique)
    if fictive and real:
        raise FictiveMixRefused(
            f"publication refusée : elle mélangerait des données FICTIVES de démonstration "
            f"({len(fictive)} associations : {', '.join(fictive)}) et des données réelles "
            f"({len(real)} : {', '.join(real)}). Supprimez d'abord la démonstration avec "
            f"« {PURGE_COMMAND} » (associations fictives, leurs clés, soumissions et "
            "publications), puis publiez à nouveau."
        )
    return bool(fictive)


@dataclass(frozen=True)
class PurgePlan:
    """What removing the demo deletes: fictive associations, then rows per table."""

    associations: list[str]
    publications: list[int]
    rows: dict[str, int]

    @property
    def empty(self) -> bool:
        """Nothing fictive in the database."""
        return not self.associations and not self.publications


def _contributors(blob: bytes) -> set[int]:
    """Organisation ids in a publication's stored contributions."""
    return {int(org) for orgs in decode_contributions(blob).values() for org in orgs}


def _doomed(session: Session) -> tuple[list[Organisation], list[int]]:
    orgs = list(session.exec(select(Organisation).where(col(Organisation.synthetique))))
    ids = {int(o.id or 0) for o in orgs}
    pubs = [
        int(p.id or 0)
        for p in session.exec(select(Publication))
        if p.synthetique or (ids and _contributors(p.valeurs_reelles) & ids)
    ]
    return orgs, sorted(pubs)


def _conditions(org_ids: list[int], pub_ids: list[int]) -> dict[Table, ColumnElement[bool]]:
    """Rows to delete per table: fictive organisations, the publications built on them, and,
    following foreign keys, every row that depends on those (keys, submissions, counts,
    revisions, idempotency records, and tables added later)."""
    org_table = Organisation.__table__  # type: ignore[attr-defined]
    pub_table = Publication.__table__  # type: ignore[attr-defined]
    conditions: dict[Table, ColumnElement[bool]] = {
        org_table: org_table.c.id.in_(org_ids) if org_ids else false(),
        pub_table: pub_table.c.id.in_(pub_ids) if pub_ids else false(),
    }
    for table in SQLModel.metadata.sorted_tables:  # parents before children
        links = [
            fk.parent.in_(sa_select(fk.column).where(conditions[fk.column.table]))
            for fk in table.foreign_keys
            if fk.column.table in conditions and fk.column.table is not table
        ]
        if links and table not in conditions:
            conditions[table] = or_(*links)
    return conditions


def purge_plan(engine: Engine) -> PurgePlan:
    """What `purge_fictive` would delete, counted (nothing is changed)."""
    with Session(engine) as session:
        orgs, pubs = _doomed(session)
        conditions = _conditions([int(o.id or 0) for o in orgs], pubs)
        rows = {
            table.name: int(session.exec(select(func.count()).select_from(table).where(cond)).one())
            for table, cond in conditions.items()
        }
    return PurgePlan(sorted(o.nom for o in orgs), pubs, rows)


def purge_fictive(engine: Engine) -> PurgePlan:
    """Delete the fictive associations, everything that depends on them and the publications
    built on them, in one transaction; returns what was deleted."""
    with write_session(engine) as session:
        orgs, pubs = _doomed(session)
        names = sorted(o.nom for o in orgs)
        conditions = _conditions([int(o.id or 0) for o in orgs], pubs)
        order = [t for t in reversed(SQLModel.metadata.sorted_tables) if t in conditions]
        rows = {}
        for table in order:  # children first
            result = session.connection().execute(delete(table).where(conditions[table]))
            rows[table.name] = int(result.rowcount or 0)
    return PurgePlan(names, pubs, rows)
