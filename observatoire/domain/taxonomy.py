"""The versioned incident taxonomy (`observatoire/data/taxonomie.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomie.json"
ALL_TYPES = "tous"


@dataclass(frozen=True)
class Family:
    """A family of incident types."""

    code: str
    libelle_fr: str
    libelle_en: str


@dataclass(frozen=True)
class IncidentType:
    """One incident type: a stable code, its family and labels."""

    code: str
    famille: str
    libelle_fr: str
    libelle_en: str
    description_fr: str
    description_en: str


@dataclass(frozen=True)
class Taxonomy:
    """The taxonomy: version, families and types in file order."""

    version: str
    families: tuple[Family, ...]
    types: tuple[IncidentType, ...]

    @property
    def type_codes(self) -> tuple[str, ...]:
        """Codes of every incident type."""
        return tuple(t.code for t in self.types)

    @property
    def family_codes(self) -> tuple[str, ...]:
        """Codes of every family."""
        return tuple(f.code for f in self.families)

    def family_of(self, type_code: str) -> str:
        """The family of an incident type."""
        return self.type_by_code[type_code].famille

    @property
    def type_by_code(self) -> dict[str, IncidentType]:
        """Incident types by code."""
        return {t.code: t for t in self.types}

    def types_in(self, selector: str) -> tuple[str, ...]:
        """Type codes selected by a type code, a family code or `tous`."""
        if selector == ALL_TYPES:
            return self.type_codes
        if selector in self.family_codes:
            return tuple(t.code for t in self.types if t.famille == selector)
        if selector in self.type_by_code:
            return (selector,)
        raise KeyError(selector)

    def label(self, code: str, lang: str = "fr") -> str:
        """French or English label of a type, a family or `tous`."""
        if code == ALL_TYPES:
            return "Tous les incidents" if lang == "fr" else "All incidents"
        items: tuple[Family | IncidentType, ...] = (*self.families, *self.types)
        for item in items:
            if item.code == code:
                return item.libelle_fr if lang == "fr" else item.libelle_en
        raise KeyError(code)


@lru_cache
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read and check the taxonomy file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    families = tuple(Family(**f) for f in raw["familles"])
    types = tuple(IncidentType(**t) for t in raw["types"])
    family_codes = {f.code for f in families}
    codes = [t.code for t in types]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: duplicate incident type codes")
    if family_codes & set(codes) or ALL_TYPES in family_codes | set(codes):
        raise ValueError(f"{path}: family, type and `{ALL_TYPES}` codes must be distinct")
    for t in types:
        if t.famille not in family_codes:
            raise ValueError(f"{path}: type {t.code} has unknown family {t.famille}")
    return Taxonomy(version=raw["version"], families=families, types=types)
