"""Strict, pure validation of a batch of submitted rows (no database, no web framework).

Line numbers (`ligne`) are 1-based over data rows: for a CSV file the header is not counted,
so `ligne` n is line n + 1 of the file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Protocol

from observatoire.domain.periods import MONTH_RE, current_month
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.submissions.cells import CodedCells, code_cells, has_duplicate_cells

COLUMNS = ("departement", "mois", "type_incident", "nombre")
CELL_FIELDS = "departement, mois, type_incident"


class ValidationSettings(Protocol):
    """The settings validation needs (core `Settings` satisfies it)."""

    submission_start_month: str
    submission_max_rows: int
    submission_max_count: int


class WrongWidthRow(list):
    """A CSV record whose number of cells differs from the header's."""


@dataclass(frozen=True)
class ValidRow:
    """A validated row, ready to store."""

    ligne: int
    departement: str
    mois: str
    type_incident: str
    nombre: int

    @property
    def cell(self) -> tuple[str, str, str]:
        """The (département, mois, type) the row counts."""
        return (self.departement, self.mois, self.type_incident)


@dataclass(frozen=True)
class ValidColumns:
    """A validated batch column by column (large files): the same content as `ValidRow`s."""

    ligne: list[int]
    departement: list[str]
    mois: list[str]
    type_incident: list[str]
    nombre: list[int]

    def __len__(self) -> int:
        return len(self.ligne)

    @cached_property
    def cells(self) -> CodedCells:
        """The (département, mois, type) columns coded once, for the duplicate check, the cell
        order and the stored content alike."""
        return code_cells(self.departement, self.mois, self.type_incident)

    @classmethod
    def from_rows(cls, rows: Sequence[ValidRow]) -> ValidColumns:
        """The columns of `rows`, in the same order."""
        return cls(
            [r.ligne for r in rows],
            [r.departement for r in rows],
            [r.mois for r in rows],
            [r.type_incident for r in rows],
            [r.nombre for r in rows],
        )

    def rows(self) -> list[ValidRow]:
        """One `ValidRow` per row, in order."""
        columns = (self.ligne, self.departement, self.mois, self.type_incident, self.nombre)
        return [ValidRow(*values) for values in zip(*columns, strict=True)]


@dataclass(frozen=True)
class RowError:
    """One fault: line (None: the whole batch), field, value, reason (French)."""

    ligne: int | None
    champ: str | None
    valeur: Any
    raison: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (`ligne`, `champ`, `valeur`, `raison`)."""
        return asdict(self)


@dataclass(frozen=True)
class ValidationResult:
    """Valid rows when there is no error; every error otherwise (rows is then empty)."""

    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the batch can be stored."""
        return not self.errors


def validate_rows(
    rows: list[dict[str, Any]],
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: ValidationSettings,
    today: date | None = None,
) -> ValidationResult:
    """Check every row and report every fault; the batch is valid only without any error."""
    if not rows:
        return ValidationResult(
            errors=[RowError(None, None, None, "le lot ne contient aucune ligne")]
        )
    if len(rows) > settings.submission_max_rows:
        reason = (
            f"le lot contient {len(rows)} lignes, au plus {settings.submission_max_rows} "
            "sont acceptées : découpez-le en plusieurs envois"
        )
        return ValidationResult(errors=[RowError(None, None, len(rows), reason)])
    checker = _row_checker(territories, taxonomy, settings, today)
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    first_line_of: dict[tuple[str, str, str], int] = {}
    for ligne, raw in enumerate(rows, start=1):
        row, row_errors = checker.check(ligne, raw)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.cell in first_line_of:
            first = first_line_of[row.cell]
            reason = f"ligne en double : même département, mois et type que la ligne {first}"
            errors.append(RowError(ligne, CELL_FIELDS, list(row.cell), reason))
            continue
        first_line_of[row.cell] = ligne
        valid.append(row)
    if errors:
        return ValidationResult(errors=errors)
    return ValidationResult(rows=valid)


def validate_columns(
    columns: Mapping[str, Sequence[Any]],
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: ValidationSettings,
    today: date | None = None,
) -> ValidColumns | None:
    """Fast path of `validate_rows` for rows given column by column (`COLUMNS`).

    The same rules, applied once per distinct value: the valid batch, with the rows
    `validate_rows` would return, when every row passes; None as soon as one might not (the
    caller then runs `validate_rows`, which says which row, which field and why).
    """
    size = len(columns["departement"])
    if not 0 < size <= settings.submission_max_rows:
        return None
    if any(len(columns[name]) != size for name in COLUMNS):
        return None
    checker = _row_checker(territories, taxonomy, settings, today)
    for name in COLUMNS:
        values = columns[name]
        # Exact types first: a set would merge True with 1, and "" is a missing field.
        if set(map(type, values)) != {int if name == "nombre" else str}:
            return None
        rule = getattr(checker, f"_{name}")
        if any(value == "" or rule(value) for value in set(values)):
            return None
    departement, mois, type_incident = (list(columns[name]) for name in COLUMNS[:3])
    batch = ValidColumns(
        list(range(1, size + 1)), departement, mois, type_incident, list(columns["nombre"])
    )
    return None if has_duplicate_cells(batch.cells) else batch


def _row_checker(
    territories: Territories,
    taxonomy: Taxonomy,
    settings: ValidationSettings,
    today: date | None,
) -> _RowChecker:
    return _RowChecker(
        departements=frozenset(d.code for d in territories.departements),
        types=frozenset(taxonomy.type_codes),
        first_month=settings.submission_start_month,
        last_month=current_month(today),
        max_count=settings.submission_max_count,
    )


@dataclass(frozen=True)
class _RowChecker:
    departements: frozenset[str]
    types: frozenset[str]
    first_month: str
    last_month: str
    max_count: int

    def check(self, ligne: int, raw: Any) -> tuple[ValidRow | None, list[RowError]]:
        if isinstance(raw, WrongWidthRow):
            reason = f"la ligne a {len(raw)} colonnes au lieu de {len(COLUMNS)}"
            return None, [RowError(ligne, None, _jsonable(list(raw)), reason)]
        if not isinstance(raw, dict):
            reason = "chaque ligne doit être un objet {departement, mois, type_incident, nombre}"
            return None, [RowError(ligne, None, _jsonable(raw), reason)]
        errors = [
            RowError(ligne, name, _jsonable(raw[name]), "champ inconnu")
            for name in raw
            if name not in COLUMNS
        ]
        for name in COLUMNS:
            if name not in raw or raw[name] is None or raw[name] == "":
                errors.append(RowError(ligne, name, None, "champ obligatoire manquant"))
                continue
            reason = getattr(self, f"_{name}")(raw[name])
            if reason:
                errors.append(RowError(ligne, name, _jsonable(raw[name]), reason))
        if errors:
            return None, errors
        return ValidRow(
            ligne, raw["departement"], raw["mois"], raw["type_incident"], raw["nombre"]
        ), []

    def _departement(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "le code département doit être une chaîne de caractères (ex. « 01 », « 2A »)"
        if value in self.departements:
            return None
        if value.isdigit() and len(value) == 1:
            return f"code département inconnu : écrire « 0{value} » (deux caractères)"
        return "code département inconnu (code INSEE : 01 à 95, 2A, 2B, 971 à 974, 976)"

    def _mois(self, value: Any) -> str | None:
        if not isinstance(value, str) or not MONTH_RE.match(value):
            return "mois invalide : format attendu AAAA-MM (ex. 2025-03)"
        if value < self.first_month:
            return f"mois antérieur au premier mois accepté ({self.first_month})"
        if value > self.last_month:
            return f"mois dans le futur (dernier mois accepté : {self.last_month})"
        return None

    def _type_incident(self, value: Any) -> str | None:
        if isinstance(value, str) and value in self.types:
            return None
        return "type d'incident inconnu (voir GET /v1/types-incident)"

    def _nombre(self, value: Any) -> str | None:
        # bool is an int subclass: `true` must not count as 1.
        if isinstance(value, bool) or not isinstance(value, int):
            return "le nombre doit être un entier (ni décimal, ni texte, ni booléen)"
        if value < 0:
            return "le nombre ne peut pas être négatif"
        if value > self.max_count:
            return f"le nombre dépasse le maximum accepté ({self.max_count})"
        return None


def _jsonable(value: Any) -> Any:
    """Values echoed in errors stay JSON-serialisable and short."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value if not isinstance(value, str) or len(value) <= 200 else value[:200] + "…"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"
