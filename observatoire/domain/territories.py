"""Territories: the 101 départements and 18 régions (committed files in `geodata/`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEODATA_DIR = Path(__file__).resolve().parents[2] / "geodata"
FRANCE = "FR"


@dataclass(frozen=True)
class Departement:
    """A département: INSEE COG code (always a string), names, prefecture, population."""

    code: str
    nom: str
    region_code: str
    region_nom: str
    prefecture: str
    chef_lieu: str
    population: int


@dataclass(frozen=True)
class Region:
    """A région and the codes of its départements."""

    code: str
    nom: str
    departements: tuple[str, ...]
    population: int


@dataclass(frozen=True)
class Territories:
    """Every département and région, looked up by code."""

    departements: tuple[Departement, ...]
    regions: tuple[Region, ...]

    @property
    def departement_by_code(self) -> dict[str, Departement]:
        """Départements by code."""
        return {d.code: d for d in self.departements}

    @property
    def region_by_code(self) -> dict[str, Region]:
        """Régions by code."""
        return {r.code: r for r in self.regions}

    @property
    def population(self) -> int:
        """Population of France (the 101 départements)."""
        return sum(d.population for d in self.departements)


@lru_cache
def load_territories(geodata_dir: Path = GEODATA_DIR) -> Territories:
    """Read `departements.json` and `regions.json` and check they agree."""
    deps = json.loads((geodata_dir / "departements.json").read_text(encoding="utf-8"))
    regs = json.loads((geodata_dir / "regions.json").read_text(encoding="utf-8"))
    departements = tuple(
        Departement(**{f: d[f] for f in Departement.__dataclass_fields__}) for d in deps
    )
    regions = tuple(
        Region(
            code=r["code"],
            nom=r["nom"],
            departements=tuple(r["departements"]),
            population=r["population"],
        )
        for r in regs
    )
    codes = {d.code for d in departements}
    listed = [c for r in regions for c in r.departements]
    if sorted(listed) != sorted(codes):
        raise ValueError(f"{geodata_dir}: régions do not partition the départements")
    return Territories(departements=departements, regions=regions)
