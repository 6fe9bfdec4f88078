"""Layouts of a sheet (long, one column per incident type, one column per month) → long rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.loading.normalise import (
    FIELDS,
    CellError,
    header_to_field,
    header_to_month,
    header_to_type,
    is_total,
    value_to_count,
    value_to_departement,
    value_to_month,
    value_to_type,
)
from observatoire.loading.table import FileRejected, TextBlock
from observatoire.loading.xlsx_reader import FormulaWithoutValue
from observatoire.submissions.suggestions import suggest

LONG, BY_TYPE, BY_MONTH = "long", "une colonne par type", "une colonne par mois"
KNOWN_VALUES = 100_000  # distinct cell texts remembered per field by the fast path
LAYOUT_HELP = (
    "en-tête attendu : departement, mois, type_incident, nombre ; ou departement, mois puis "
    "une colonne par type d'incident ; ou departement, type_incident puis une colonne par mois"
)


@dataclass(frozen=True)
class LoadIssue:
    """A problem at a line (and column) of the file, or a note about the file."""

    ligne: int | None
    colonne: str | None
    champ: str | None
    valeur: Any
    raison: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Layout:
    """Where the fields are: one column each (long) or a field spread over columns (wide)."""

    kind: str
    header_line: int
    key_columns: dict[str, int]
    value_columns: tuple[tuple[int, str], ...] = ()
    ignored_columns: tuple[int, ...] = ()
    width: int = 0

    @property
    def spread_field(self) -> str | None:
        """The field named by the headers of the value columns (wide layouts)."""
        return {BY_TYPE: "type_incident", BY_MONTH: "mois"}.get(self.kind)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def header_to_layout(line: int, header: list[object], taxonomy: Taxonomy) -> Layout | None:
    """The layout a header row describes, None when the row is not a header."""
    fields: dict[str, int] = {}
    spread: dict[str, list[tuple[int, str]]] = {"type_incident": [], "mois": []}
    other: list[int] = []
    for i, name in enumerate(header):
        if _blank(name) or is_total(name):
            other.append(i)
        elif (f := header_to_field(name)) and f not in fields:
            fields[f] = i
        elif code := header_to_type(name, taxonomy):
            spread["type_incident"].append((i, code))
        elif month := header_to_month(name):
            spread["mois"].append((i, month))
        else:
            other.append(i)
    if set(FIELDS) <= set(fields):
        kind, spread_field = LONG, None
    elif {"departement", "mois"} <= set(fields) and spread["type_incident"]:
        kind, spread_field = BY_TYPE, "type_incident"
    elif {"departement", "type_incident"} <= set(fields) and spread["mois"]:
        kind, spread_field = BY_MONTH, "mois"
    else:
        return None
    if spread_field is None:
        keys, values = fields, ()
    else:
        keys = {f: i for f, i in fields.items() if f in FIELDS and f != "nombre"}
        values = tuple(spread[spread_field])
        _check_wide_header(header, values, other, fields, keys)
    used = set(keys.values()) | {i for i, _ in values}
    ignored = tuple(i for i in range(len(header)) if i not in used and not _blank(header[i]))
    return Layout(kind, line, keys, values, ignored, len(header))


def _check_wide_header(
    header: list[object],
    values: tuple[tuple[int, str], ...],
    other: list[int],
    fields: dict[str, int],
    keys: dict[str, int],
) -> None:
    seen: dict[str, int] = {}
    for i, target in values:
        if target in seen:
            raise FileRejected(
                f"en-tête : les colonnes {seen[target] + 1} et {i + 1} désignent toutes deux "
                f"« {target} »"
            )
        seen[target] = i
    unknown = [i for i in other if not _blank(header[i]) and not is_total(header[i])]
    unknown += [i for f, i in fields.items() if f not in keys]
    if unknown:
        names = ", ".join(f"« {header[i]} » (colonne {i + 1})" for i in sorted(unknown))
        raise FileRejected(
            f"en-tête : colonnes non reconnues {names} ; chaque colonne de valeurs doit être "
            "nommée par un code ou un libellé de type d'incident, ou par un mois"
        )


class RecordReader:
    """Turns the cells of one line into long rows, remembering where each value came from."""

    def __init__(
        self,
        layout: Layout,
        header: list[object],
        territories: Territories,
        taxonomy: Taxonomy,
        column_label: Callable[[int], str],
        *,
        text_cells: bool = False,
    ) -> None:
        self.layout = layout
        self.territories = territories
        self.taxonomy = taxonomy
        self.text_cells = text_cells
        self.header = header
        self.column_label = column_label
        self._convert = {
            "departement": lambda v: value_to_departement(v, territories),
            "mois": value_to_month,
            "type_incident": lambda v: value_to_type(v, taxonomy),
            "nombre": value_to_count,
        }
        self._memo: dict[str, dict[Any, Any]] = {f: {} for f in FIELDS if f != "nombre"}
        # Fast path: cell text → value, for text that converted without error.
        self._known: dict[str, dict[str, Any]] = {f: {} for f in FIELDS}
        self.columns: dict[str, list[Any]] = {f: [] for f in FIELDS}
        # Where each row came from: file line, and column label in a wide layout. Two flat
        # lists rather than a tuple per row: a million tuples keep the garbage collector busy.
        self.row_lines: list[int] = []
        self.row_columns: list[str | None] = []
        self.issues: list[LoadIssue] = []
        self.lines = 0
        self.totals_skipped = 0
        self._totals: dict[Any, bool] = {}

    @property
    def positions(self) -> list[tuple[int, str | None]]:
        """(file line, column label or None) of each row of `rows`."""
        return list(zip(self.row_lines, self.row_columns, strict=True))

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The long rows read so far, one dict each (`columns` holds them column by column)."""
        columns = (self.columns[f] for f in FIELDS)
        return [dict(zip(FIELDS, values, strict=True)) for values in zip(*columns, strict=True)]

    def _append(self, row: dict[str, Any], line: int, column: str | None) -> None:
        for name in FIELDS:
            self.columns[name].append(row[name])
        self.row_lines.append(line)
        self.row_columns.append(column)

    def _is_total(self, dep_cell: object) -> bool:
        total = self._totals.get(dep_cell)
        if total is None:
            total = self._totals[dep_cell] = is_total(dep_cell)
        return total

    def _cell(self, name: str, value: object) -> Any:
        if isinstance(value, FormulaWithoutValue):
            raise CellError(
                f"formule sans valeur calculée « {value} » : ouvrez puis enregistrez le fichier "
                "dans un tableur, ou collez les valeurs à la place des formules"
            )
        if isinstance(value, str):
            value = value.strip()
        if name == "nombre":
            return value_to_count(value)
        memo = self._memo[name]
        try:
            result = memo[value]
        except KeyError:
            try:
                result = self._convert[name](value)
            except CellError as exc:
                result = exc
            memo[value] = result
        except TypeError:  # unhashable: never happens with CSV or XLSX cells
            result = self._convert[name](value)
        if isinstance(result, CellError):
            raise result
        return result

    def _error(self, line: int, column: int | None, name: str, value: object, reason: str) -> None:
        label = None if column is None else self._label(column)
        shown = value if value is None or isinstance(value, int | float) else str(value)
        hint = suggest(name, value, self.territories, self.taxonomy)
        self.issues.append(LoadIssue(line, label, name, shown, reason, hint))

    def _label(self, column: int) -> str:
        header = self.header[column] if column < len(self.header) else None
        label = self.column_label(column)
        return f"{label} (« {header} »)" if self.layout.value_columns and header else label

    def read_line(self, line: int, cells: list[object]) -> None:
        """Convert one data line; problems go to `issues`, rows to `rows` and `positions`."""
        self.lines += 1
        layout = self.layout
        keys: dict[str, Any] = {}
        dep_cell = cells[layout.key_columns["departement"]] if cells else None
        if self._is_total(dep_cell):
            self.totals_skipped += 1
            return
        for i in range(layout.width, len(cells)):
            if not _blank(cells[i]):
                reason = "valeur hors des colonnes de l'en-tête"
                self._error(line, i, "", cells[i], reason)
        for name, i in layout.key_columns.items():
            value = cells[i] if i < len(cells) else None
            try:
                keys[name] = self._cell(name, value)
            except CellError as exc:
                column = i if layout.value_columns else None
                self._error(line, column, name, value, str(exc))
        if len(keys) != len(layout.key_columns):
            return
        if not layout.value_columns:
            self._append(keys, line, None)
            return
        spread = layout.spread_field or ""
        for i, target in layout.value_columns:
            value = cells[i] if i < len(cells) else None
            if _blank(value):
                continue  # an empty cell of a wide sheet reports nothing
            try:
                count = self._cell("nombre", value)
            except CellError as exc:
                self._error(line, i, "nombre", value, str(exc))
                continue
            self._append({**keys, spread: target, "nombre": count}, line, self._label(i))

    def read_block(self, lines: Sequence[int], records: Sequence[list[object]]) -> None:
        """Convert consecutive data lines: column by column when they are clean text in a long
        layout (large CSV files), otherwise line by line with `read_line`. Same results."""
        if not self._read_clean_block(lines, records):
            for line, cells in zip(lines, records, strict=True):
                self.read_line(line, cells)

    def read_text_block(self, block: TextBlock) -> None:
        """`read_block` on the lines of a plain CSV file, split column by column at once when
        each has the header's width (no list per line); line by line otherwise."""
        if self._clean_layout():
            columns = block.columns(self.layout.width)
            lines = range(block.first, block.first + len(block.lines))
            if columns is not None and self._read_clean_columns(lines, columns):
                return
        self.read_block(*block.records())

    def _clean_layout(self) -> bool:
        # Text cells only: spreadsheet numbers, dates and formulas take the detailed path (a
        # set of cells would also merge 1, 1.0 and True).
        return self.text_cells and not self.layout.value_columns

    def _read_clean_block(self, lines: Sequence[int], records: Sequence[list[object]]) -> bool:
        """The fast path; False, with only caches changed, when a line needs `read_line`."""
        if not self._clean_layout() or set(map(len, records)) != {self.layout.width}:
            return False
        return self._read_clean_columns(lines, list(zip(*records, strict=True)))

    def _read_clean_columns(self, lines: Sequence[int], by_column: Sequence[Sequence[Any]]) -> bool:
        """`_read_clean_block` on the block's cells column by column (a blank line, all cells
        blank, fails it like any unreadable value)."""
        layout = self.layout
        raw = {name: by_column[i] for name, i in layout.key_columns.items()}
        kept = lines
        totals = {v for v in set(raw["departement"]) if self._is_total(v)}
        if totals:
            keep = [v not in totals for v in raw["departement"]]
            raw = {name: list(compress(column, keep)) for name, column in raw.items()}
            kept = list(compress(lines, keep))
        converted: dict[str, list[Any]] = {}
        for name, column in raw.items():
            known = self._known[name]
            if len(known) > KNOWN_VALUES:  # counts can be all different: bound the memory
                known.clear()
            for value in set(column).difference(known):
                try:
                    known[value] = self._cell(name, value)
                except CellError:
                    return False  # `read_line` reports it, at its line
            converted[name] = list(map(known.__getitem__, column))
        self.lines += len(lines)
        self.totals_skipped += len(lines) - len(kept)
        for name in FIELDS:
            self.columns[name].extend(converted[name])
        self.row_lines.extend(kept)
        self.row_columns.extend(repeat(None, len(kept)))
        return True
