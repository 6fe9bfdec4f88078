"""Registry of format readers: the first whose `matches` accepts the file reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatoire.loading.csv_reader import looks_like_csv, read_csv
from observatoire.loading.table import FileRejected, LoaderSettings, RawTable
from observatoire.loading.xlsx_reader import looks_like_xlsx, read_xlsx


@dataclass(frozen=True)
class Reader:
    """A format: how to recognise it from the first bytes, and how to read it."""

    name: str
    matches: Callable[[Path, bytes], bool]
    read: Callable[[Path, LoaderSettings], RawTable]


def _legacy_excel(path: Path, head: bytes) -> bool:
    return head.startswith(b"\xd0\xcf\x11\xe0")


def _refuse_xls(path: Path, settings: LoaderSettings) -> RawTable:
    raise FileRejected(
        "ancien format Excel (.xls) non pris en charge : enregistrez en .xlsx ou en CSV"
    )


READERS: tuple[Reader, ...] = (
    Reader("xlsx", looks_like_xlsx, read_xlsx),
    Reader("xls", _legacy_excel, _refuse_xls),
    Reader("csv", looks_like_csv, read_csv),
)


def detect_reader(path: Path) -> Reader:
    """The reader for `path`, from its first bytes (never from its extension alone)."""
    if not path.is_file():
        raise FileRejected(f"fichier introuvable : {path}")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise FileRejected("fichier vide")
    for reader in READERS:
        if reader.matches(path, head):
            return reader
    raise FileRejected("format non reconnu : CSV ou XLSX attendu")


def open_table(path: Path, settings: LoaderSettings) -> RawTable:
    """Detect the format of `path` and open it."""
    return detect_reader(path).read(path, settings)
