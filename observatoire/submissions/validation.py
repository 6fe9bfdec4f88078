"""Strict, pure validation of a batch of submitted rows (no database, no web framework).

Line numbers (`ligne`) are those a spreadsheet shows, header = line 1 (see `rows`): row i of
a batch is line i + 2 unless the caller gives the file's own lines.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Protocol

from observatoire.domain.periods import MONTH_RE, current_month
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.submissions.cells import CodedCells, code_cells, has_duplicate_cells
from observatoire.submissions.rows import (
    CELL_FIELDS,
    COLUMNS,
    FIRST_DATA_LINE,
    RowError,
    WrongWidthRow,
)
from observatoire.submissions.suggestions import suggest


class ValidationSettings(Protocol):
    """The settings validation needs (core `Settings` satisfies it)."""

    submission_start_month: str
    submission_max_rows: int
    submission_max_count: int


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
class ValidationResult:
    """Valid rows when there is no error; every error otherwise (rows is then empty)."""

    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the batch can be stored."""
        return not self.errors


def validate_rows(
    rows: Sequence[Any],
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: ValidationSettings,
    today: date | None = None,
    lines: Sequence[int] | None = None,
    places: Sequence[str | None] | None = None,
) -> ValidationResult:
    """Check every row and report every fault; the batch is valid only without any error.

    `lines`: each row's line in its file (default: row i is line i + 2, header = 1);
    `places`: each row's column in a wide layout, named in duplicate and error messages."""
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
    if lines is None:
        lines = range(FIRST_DATA_LINE, FIRST_DATA_LINE + len(rows))
    checker = _row_checker(territories, taxonomy, settings, today)
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    first_at: dict[tuple[str, str, str], tuple[int, str | None]] = {}
    for index, (ligne, raw) in enumerate(zip(lines, rows, strict=True)):
        place = places[index] if places is not None else None
        row, row_errors = checker.check(ligne, raw)
        errors.extend(_placed(e, place, territories, taxonomy) for e in row_errors)
        if row is None:
            continue
        if row.cell in first_at:
            errors.append(_duplicate(row, place, *first_at[row.cell]))
            continue
        first_at[row.cell] = (ligne, place)
        valid.append(row)
    if errors:
        return ValidationResult(errors=errors)
    return ValidationResult(rows=valid)


def _duplicate(row: ValidRow, place: str | None, first: int, first_place: str | None) -> RowError:
    """The one rule for duplicates: two rows may not count the same cell."""
    where = f"la ligne {first}" + (f", colonne {first_place}" if first_place else "")
    reason = (
        f"ligne en double : même département, mois et type que {where} ; "
        "gardez une seule ligne (ou additionnez-les)"
    )
    return RowError(row.ligne, CELL_FIELDS, list(row.cell), reason, emplacement=place)


def _placed(
    error: RowError, place: str | None, territories: Territories, taxonomy: Taxonomy
) -> RowError:
    """`error` with its column in the file and the likely right value, when there is one."""
    hint = suggest(error.champ, error.valeur, territories, taxonomy)
    if hint is None and place is None:
        return error
    return replace(error, suggestion=hint or error.suggestion, emplacement=place)


def validate_columns(
    columns: Mapping[str, Sequence[Any]],
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: ValidationSettings,
    today: date | None = None,
    lines: Sequence[int] | None = None,
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
    numbers = (
        list(lines) if lines is not None else list(range(FIRST_DATA_LINE, size + FIRST_DATA_LINE))
    )
    batch = ValidColumns(numbers, departement, mois, type_incident, list(columns["nombre"]))
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
