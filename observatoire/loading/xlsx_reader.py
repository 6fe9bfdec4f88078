"""XLSX opened safely: size and zip-bomb checks before parsing, no XML entities, no formulas.

A formula cell gives its value as last computed by the spreadsheet (cached in the file);
a formula without a cached value (a file written by a program, never opened in Excel or
LibreOffice) is refused with a clear reason rather than guessed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from observatoire.loading.table import FileRejected, LoaderSettings, RawTable, file_size_checked


class FormulaWithoutValue(str):
    """A formula cell with no cached value; normalisation reports it at its line and column."""


def check_xlsx_archive(path: Path, settings: LoaderSettings) -> None:
    """Refuse oversized files and zip bombs from the archive directory, before any parsing."""
    file_size_checked(path, settings)
    if not zipfile.is_zipfile(path):
        raise FileRejected("fichier XLSX illisible (archive zip attendue)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRejected(f"fichier XLSX illisible : {exc}") from exc
    total = 0
    for member in members:
        total += member.file_size
        # zipfile stops reading a member at its declared size, so declared sizes are binding.
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > settings.loader_xlsx_ratio_floor_bytes
            and ratio > settings.loader_xlsx_max_ratio
        ):
            raise FileRejected(
                f"archive XLSX suspecte : « {member.filename} » est compressé {ratio:.0f} fois "
                f"(au plus {settings.loader_xlsx_max_ratio}) ; fichier refusé"
            )
    if total > settings.loader_xlsx_max_uncompressed_bytes:
        raise FileRejected(
            f"archive XLSX trop volumineuse une fois décompressée ({total} octets ; "
            f"au plus {settings.loader_xlsx_max_uncompressed_bytes})"
        )


def require_defusedxml() -> None:
    """openpyxl parses XML through defusedxml (no entity expansion) only when it is installed."""
    if not openpyxl.xml.DEFUSEDXML:
        raise FileRejected("lecture XLSX désactivée : le paquet defusedxml est absent")


_UNREADABLE = (
    DefusedXmlException,
    InvalidFileException,
    SyntaxError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
)


def _sheet_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    try:
        yield from _pairs_of_sheets(path)
    except _UNREADABLE as exc:  # SyntaxError covers XML parse errors
        raise FileRejected(f"fichier XLSX illisible : {type(exc).__name__} {exc}") from exc


def _pairs_of_sheets(path: Path) -> Iterator[tuple[int, list[object]]]:
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet_f, sheet_v = formulas.worksheets[0], values.worksheets[0]
        # Some exporters write a wrong <dimension>: read every row rather than trust it.
        sheet_f.reset_dimensions()
        sheet_v.reset_dimensions()
        pairs = zip_longest(sheet_f.iter_rows(), sheet_v.iter_rows(), fillvalue=())
        for offset, (row_f, row_v) in enumerate(pairs):
            cells: list[object] = []
            for cell_f, cell_v in zip_longest(row_f, row_v, fillvalue=None):
                value = getattr(cell_v, "value", None)
                if getattr(cell_f, "data_type", None) == "f" and value is None:
                    value = FormulaWithoutValue(str(cell_f.value))
                cells.append(value)
            if any(c is not None and str(c).strip() != "" for c in cells):
                yield offset + 1, cells
    finally:
        formulas.close()
        values.close()


def read_xlsx(path: Path, settings: LoaderSettings) -> RawTable:
    """Open the first sheet of an XLSX workbook, read-only, values only."""
    check_xlsx_archive(path, settings)
    require_defusedxml()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
        sheet = workbook.worksheets[0]
        name, max_row = sheet.title, sheet.max_row
        workbook.close()
    except _UNREADABLE as exc:
        raise FileRejected(f"fichier XLSX illisible : {exc}") from exc
    return RawTable(
        rows=_sheet_rows(path),
        format="xlsx",
        details={"feuille": name},
        column_label=lambda i: get_column_letter(i + 1),
        total_lines=max_row,
    )


def looks_like_xlsx(path: Path, head: bytes) -> bool:
    """A zip archive (XLSX is one); legacy `.xls` is refused by the registry."""
    return head.startswith(b"PK\x03\x04")
