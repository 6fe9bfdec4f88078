"""A stored publication in memory: its metadata and its protected cube, read cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.publication.plan import COMPLETE, Plan, incident_level, territory_level
from observatoire.publication.stored import HIDDEN, UNPLANNED, decode_published
from observatoire.store.models import Publication

__all__ = ["HIDDEN", "UNPLANNED", "PublicationMeta", "PublishedCube"]


@dataclass(frozen=True)
class PublicationMeta:
    """What every response says about the publication it comes from."""

    id: int
    publiee_le: str
    type_publication: str
    premier_mois: str
    donnees_jusqu_a: str
    seuil: int
    cellules: int
    cellules_secretes: int
    associations: int
    soumissions: int
    synthetique: bool
    taxonomie_version: str
    plan_publication: str = "complet/1"

    @classmethod
    def from_row(cls, row: Publication) -> PublicationMeta:
        """Metadata of a stored publication."""
        return cls(
            id=int(row.id or 0),
            publiee_le=row.publiee_le.isoformat(),
            type_publication=row.type_publication,
            premier_mois=row.premier_mois,
            donnees_jusqu_a=row.donnees_jusqu_a,
            seuil=row.seuil,
            cellules=row.cellules,
            cellules_secretes=row.cellules_secretes,
            associations=row.associations,
            soumissions=row.soumissions,
            synthetique=row.synthetique,
            taxonomie_version=row.taxonomie_version,
            plan_publication=row.plan_publication,
        )

    @property
    def taux_secret(self) -> float:
        """Share of hidden cells."""
        return round(self.cellules_secretes / self.cellules, 4) if self.cellules else 0.0


class PublishedCube:
    """Read-only protected cube: one lookup per cell, hidden cells as None."""

    def __init__(
        self,
        meta: PublicationMeta,
        territories: list[str],
        incidents: list[str],
        periods: list[str],
        values: np.ndarray,
        plan: Plan | None = None,
    ) -> None:
        self.meta = meta
        self.plan = plan if plan is not None else COMPLETE
        self.territories = territories
        self.incidents = incidents
        self.periods = periods
        self._t = {t: i for i, t in enumerate(territories)}
        self._i = {x: i for i, x in enumerate(incidents)}
        self._p = {p: i for i, p in enumerate(periods)}
        self._values = values.reshape(len(territories), len(incidents), len(periods))

    @classmethod
    def from_row(cls, row: Publication) -> PublishedCube:
        """Decode a stored publication."""
        return cls(PublicationMeta.from_row(row), *decode_published(row.contenu))

    def has_period(self, period: str) -> bool:
        """Whether the publication contains this period."""
        return period in self._p

    def has_territory(self, territory: str) -> bool:
        """Whether the publication contains this territory id."""
        return territory in self._t

    def has_incident(self, incident: str) -> bool:
        """Whether the publication contains this incident selector."""
        return incident in self._i

    def get(self, territory: str, incident: str, period: str) -> int | None:
        """Published value of a cell; None when hidden (or outside the plan: see `is_planned`)."""
        v = int(self._values[self._t[territory], self._i[incident], self._p[period]])
        return None if v in (HIDDEN, UNPLANNED) else v

    def is_planned(self, territory: str, incident: str, period: str) -> bool:
        """Whether the cell belongs to a table the publication's plan publishes."""
        return self.plan.includes(
            territory_level(territory),
            self.incident_level(incident),
            period_level(period),
        )

    def incident_level(self, incident: str) -> str:
        """`tous`, `famille` or `type`: the level of an incident selector."""
        return incident_level(incident, self._families)

    @property
    def _families(self) -> frozenset[str]:
        return _family_codes()


@cache
def _family_codes() -> frozenset[str]:
    return frozenset(f.code for f in load_taxonomy().families)
