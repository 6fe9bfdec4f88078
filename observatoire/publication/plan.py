"""The publication plan: which tables the observatory publishes, as data in one place.

A *table* is one level of each hierarchy: territory (`departement`, `region`, `france`) ×
incidents (`type`, `famille`, `tous`) × period (`mois`, `trimestre`, `annee`). The plans are
in `observatoire/data/plans_publication.json`; the setting `PUBLICATION_PLAN` names one (or
gives the path of a JSON file of the same shape). Protection, audit, API and dashboard all read
the plan stored with each publication (`contenu["plan"]`), so a publication keeps its plan
even when the setting changes later.

Cells outside the plan are neither published nor served: the engine treats them as unknowns
(free to move in witnesses, never to be shown), and still protects those that are sensitive
(primary), since published tables bound them. See docs/secret-statistique.md.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from observatoire.disclosure import Cube
from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import ALL_TYPES
from observatoire.domain.territories import FRANCE

PLANS_FILE = Path(__file__).resolve().parent.parent / "data" / "plans_publication.json"
DEFAULT_PLAN = "lecteurs"
TERRITORY_LEVELS = ("departement", "region", "france")
INCIDENT_LEVELS = ("type", "famille", "tous")
PERIOD_LEVELS = ("mois", "trimestre", "annee")
Table = tuple[str, str, str]
ALL_TABLES: tuple[Table, ...] = tuple(
    (t, i, p) for t in TERRITORY_LEVELS for i in INCIDENT_LEVELS for p in PERIOD_LEVELS
)
# Readers' words for each level, in error messages and the open-data README (French, English).
LEVEL_LABELS = {
    "departement": "département",
    "region": "région",
    "france": "France",
    "type": "type d'incident",
    "famille": "famille",
    "tous": "tous incidents",
    "mois": "mois",
    "trimestre": "trimestre",
    "annee": "année",
}
LEVEL_LABELS_EN = {
    "departement": "département",
    "region": "région",
    "france": "France",
    "type": "incident type",
    "famille": "family",
    "tous": "all incidents",
    "mois": "month",
    "trimestre": "quarter",
    "annee": "year",
}


class PlanError(ValueError):
    """A plan file or name that cannot be used."""


@dataclass(frozen=True)
class Plan:
    """A named, versioned set of published tables."""

    name: str
    version: str
    description: str
    tables: frozenset[Table]
    # Price of hiding one cell of a table as a secondary (`poids`): the engine hides the
    # cheapest cells, so the map's totals get the highest weights (see `weights`).
    priorities: tuple[tuple[Table, float], ...] = ()
    # Tables whose cells are hidden as secondaries only when no other pattern exists (`garder`).
    kept: frozenset[Table] = frozenset()

    @property
    def label(self) -> str:
        """`name/version`, stored with every publication."""
        return f"{self.name}/{self.version}"

    def includes(self, territory: str, incidents: str, period: str) -> bool:
        """Whether the table (one level per hierarchy) is published."""
        return (territory, incidents, period) in self.tables

    def ordered_tables(self) -> list[Table]:
        """The published tables in hierarchy order (territory, incidents, period)."""
        return [t for t in ALL_TABLES if t in self.tables]

    def published_for(
        self, territory: str | None = None, incidents: str | None = None, period: str | None = None
    ) -> list[Table]:
        """Published tables matching the levels given (None: any)."""
        return [
            t
            for t in self.ordered_tables()
            if (territory is None or t[0] == territory)
            and (incidents is None or t[1] == incidents)
            and (period is None or t[2] == period)
        ]

    def mask(self, cube: Cube, tables: Iterable[Table] | None = None) -> np.ndarray:
        """Boolean mask over the cube's cells: True for cells of a published table (or of
        `tables`)."""
        levels = _cube_levels(cube)
        out = np.zeros(cube.shape, dtype=bool)
        for t, i, p in self.tables if tables is None else tables:
            a = levels[0] == t
            b = levels[1] == i
            c = levels[2] == p
            out |= a[:, None, None] & b[None, :, None] & c[None, None, :]
        return out.ravel()

    def weights(self, cube: Cube, base: np.ndarray) -> np.ndarray:
        """Per cell, the price of hiding it: the plan's weight for its table, else `base`."""
        levels = _cube_levels(cube)
        out = np.array(base, dtype=np.float64).reshape(cube.shape)
        for (t, i, p), weight in self.priorities:
            sel = (levels[0] == t)[:, None, None] & (levels[1] == i)[None, :, None]
            out[sel & (levels[2] == p)[None, None, :]] = weight
        return out.ravel()

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready form, stored in the publication's public blob."""
        return {
            "nom": self.name,
            "version": self.version,
            "description": self.description,
            "tableaux": [list(t) for t in self.ordered_tables()],
            "poids": [[*t, f] for t, f in self.priorities],
            "garder": [list(t) for t in ALL_TABLES if t in self.kept],
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Plan:
        """Inverse of `to_payload` (and the shape of a plan in a plans file)."""
        return cls(
            name=str(payload["nom"]),
            version=str(payload["version"]),
            description=str(payload.get("description", "")),
            tables=_tables(payload["tableaux"], str(payload["nom"])),
            priorities=_priorities(payload.get("poids", []), str(payload["nom"])),
            kept=_tables(payload["garder"], str(payload["nom"]))
            if payload.get("garder")
            else frozenset(),
        )


# The first two hierarchies are trees whose depth is the level: root, children, grandchildren.
_TREE_LEVELS = (("france", "region", "departement"), ("tous", "famille", "type"))


def _cube_levels(cube: Cube) -> list[np.ndarray]:
    levels = [
        _dimension_levels(d, names) for d, names in zip(cube.dims[:2], _TREE_LEVELS, strict=True)
    ]
    levels.append(np.array([period_level(p) for p in cube.dims[2].nodes]))
    return levels


def _priorities(raw: Any, name: str) -> tuple[tuple[Table, float], ...]:
    out = []
    for entry in raw:
        if not (isinstance(entry, list | tuple) and len(entry) == 4):
            raise PlanError(
                f"plan « {name} » : poids {entry!r} : attendu [territoire, incidents, période, "
                "poids]"
            )
        (table,) = _tables([list(entry[:3])], name)
        factor = float(entry[3])
        if not factor > 0:
            raise PlanError(f"plan « {name} » : poids {entry!r} : le poids doit être positif")
        out.append((table, factor))
    return tuple(out)


def _dimension_levels(dim: Any, names: tuple[str, str, str]) -> np.ndarray:
    depth = []
    for i in range(len(dim.nodes)):
        d, cur = 0, dim.parent_index[i]
        while cur >= 0:
            d, cur = d + 1, dim.parent_index[cur]
        depth.append(names[min(d, 2)])
    return np.array(depth)


def _tables(raw: Any, name: str) -> frozenset[Table]:
    if raw == "tous":
        return frozenset(ALL_TABLES)
    if not isinstance(raw, list) or not raw:
        raise PlanError(f"plan « {name} » : « tableaux » doit être une liste non vide ou « tous »")
    out: set[Table] = set()
    for entry in raw:
        if not (isinstance(entry, list | tuple) and len(entry) == 3):
            raise PlanError(
                f"plan « {name} » : tableau {entry!r} : attendu [territoire, incidents, période]"
            )
        t, i, p = (str(x) for x in entry)
        for value, allowed in ((t, TERRITORY_LEVELS), (i, INCIDENT_LEVELS), (p, PERIOD_LEVELS)):
            if value not in allowed:
                raise PlanError(
                    f"plan « {name} » : niveau « {value} » inconnu dans {entry!r} ; "
                    f"niveaux possibles : {', '.join(allowed)}"
                )
        out.add((t, i, p))
    return frozenset(out)


def builtin_plans(path: Path = PLANS_FILE) -> dict[str, Plan]:
    """Every plan of the plans file, by name."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: Plan.from_payload({"nom": name, **body}) for name, body in raw["plans"].items()}


def load_plan(name_or_path: str = DEFAULT_PLAN) -> Plan:
    """A built-in plan by name, or a JSON file holding one plan (`nom`, `version`, `tableaux`)."""
    plans = builtin_plans()
    if name_or_path in plans:
        return plans[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".json" and path.is_file():
        try:
            return Plan.from_payload(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, json.JSONDecodeError) as exc:
            raise PlanError(f"{path} : plan illisible ({exc})") from exc
    raise PlanError(
        f"plan de publication « {name_or_path} » inconnu : plans fournis "
        f"{', '.join(sorted(plans))}, ou chemin d'un fichier .json"
    )


COMPLETE = Plan("complet", "1", "tous les croisements", frozenset(ALL_TABLES))


def territory_level(territory_id: str) -> str:
    """Level of a cube territory id (`FR`, `reg:..`, `dep:..`)."""
    if territory_id == FRANCE:
        return "france"
    return "region" if territory_id.startswith("reg:") else "departement"


def incident_level(incident: str, families: Container[str]) -> str:
    """Level of an incident selector: `tous`, a family code or a type code."""
    if incident == ALL_TYPES:
        return "tous"
    return "famille" if incident in families else "type"


def describe(table: Table, lang: str = "fr") -> str:
    """« département × famille × année » (or its English words)."""
    words = LEVEL_LABELS_EN if lang == "en" else LEVEL_LABELS
    return " × ".join(words[x] for x in table)
