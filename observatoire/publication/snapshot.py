"""A stored publication in memory: its metadata and its protected cube, read cell by cell."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from observatoire.publication.stored import HIDDEN, decode_cube
from observatoire.store.models import Publication

__all__ = ["HIDDEN", "PublicationMeta", "PublishedCube"]


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
    ) -> None:
        self.meta = meta
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
        return cls(PublicationMeta.from_row(row), *decode_cube(row.contenu))

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
        """Published value of a cell; None when hidden."""
        v = int(self._values[self._t[territory], self._i[incident], self._p[period]])
        return None if v == HIDDEN else v
