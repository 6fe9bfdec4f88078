"""What a publication changed since another one: cells revised, published, hidden; new periods.

Both sides are published cubes, so a hidden cell is `None` on its side: a cell hidden in either
publication shows only the value published where it was visible, never a value it hid. Only
cells of tables the publication's plan publishes count (and, for a revision, the earlier
publication's plan too): a cell outside a plan is neither « publiée » nor « masquée ».
"""

from __future__ import annotations

from dataclasses import dataclass, field

from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.domain.territories import FRANCE, Territories
from observatoire.opendata.tables import LEVELS, selectors
from observatoire.publication.snapshot import PublicationMeta, PublishedCube
from observatoire.publication.views import territory_rows

REVISED = "revisee"
NOW_PUBLISHED = "publiee"
NOW_HIDDEN = "masquee"
KINDS_OF_CHANGE = (REVISED, NOW_PUBLISHED, NOW_HIDDEN)


@dataclass(frozen=True)
class CellChange:
    """One cell of a period both publications contain, whose published state differs."""

    changement: str
    niveau: str
    code: str
    nom: str
    type: str
    periode: str
    valeur_avant: int | None
    valeur_apres: int | None


@dataclass
class NewPeriod:
    """A period only the newer publication contains: how many values it adds, per level."""

    periode: str
    publiees: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    secretes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    total_france: int | None = None


@dataclass
class Changes:
    """Everything that differs between `before` (None: nothing published before) and `after`."""

    before: PublicationMeta | None
    after: PublicationMeta
    new_periods: list[NewPeriod]
    removed_periods: list[str]
    cells: list[CellChange]

    def count(self, kind: str, level: str | None = None) -> int:
        """Number of changed cells of a kind (and level)."""
        return sum(1 for c in self.cells if c.changement == kind and level in (None, c.niveau))


def previous_publication(ids: list[int], pub_id: int) -> int | None:
    """The publication published just before `pub_id` (ids increase with time)."""
    earlier = [i for i in ids if i < pub_id]
    return max(earlier) if earlier else None


def compare(
    before: PublishedCube | None,
    after: PublishedCube,
    territories: Territories,
    taxonomy: Taxonomy,
) -> Changes:
    """The changes from `before` to `after`, cell by cell over the periods both contain."""
    old_periods = set(before.periods) if before is not None else set()
    common = sorted(p for p in after.periods if p in old_periods)
    fresh = sorted((p for p in after.periods if p not in old_periods), key=period_sort_key)
    new_periods = {p: NewPeriod(p) for p in fresh}
    steps = {p: period_level(p) for p in [*fresh, *common]}
    cells: list[CellChange] = []
    for level in LEVELS:
        for tid, code, name, _pop in territory_rows(territories, level):
            if not after.has_territory(tid):
                continue
            known = before is not None and before.has_territory(tid)
            for kind, selector in _all_selectors(after, taxonomy):
                for period, entry in new_periods.items():
                    if not after.plan.includes(level, kind, steps[period]):
                        continue
                    value = after.get(tid, selector, period)
                    if value is None:
                        entry.secretes[level] += 1
                    else:
                        entry.publiees[level] += 1
                    if tid == FRANCE and selector == ALL_TYPES:
                        entry.total_france = value
                if not known or before is None or not before.has_incident(selector):
                    continue
                for period in common:
                    step = steps[period]
                    if not (after.plan.includes(level, kind, step)
                            and before.plan.includes(level, kind, step)):  # fmt: skip
                        continue
                    old, new = before.get(tid, selector, period), after.get(tid, selector, period)
                    change = _kind(old, new)
                    if change:
                        cells.append(
                            CellChange(change, level, code, name, selector, period, old, new)
                        )
    removed = sorted(old_periods - set(after.periods))
    return Changes(
        before.meta if before is not None else None,
        after.meta,
        list(new_periods.values()),
        removed,
        cells,
    )


def _all_selectors(cube: PublishedCube, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    return [
        (kind, s) for kind in ("tous", "famille", "type") for s in selectors(cube, taxonomy, kind)
    ]


def _kind(old: int | None, new: int | None) -> str | None:
    if old == new:
        return None
    if old is None:
        return NOW_PUBLISHED
    if new is None:
        return NOW_HIDDEN
    return REVISED


STEP_ORDER = {"mois": 0, "trimestre": 1, "annee": 2}


def period_sort_key(period: str) -> tuple[int, str]:
    """Months, then quarters, then years, each in time order."""
    return (STEP_ORDER[period_level(period)], period)
