"""What every format reader returns: cells by file line, plus how the file was read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import methodcaller
from pathlib import Path

from pydantic import Field

from observatoire.settings import Settings


@dataclass(frozen=True)
class TextBlock:
    """Consecutive lines of a `PlainLines` file, from line `first` on (1-based)."""

    first: int
    lines: list[str]
    delimiter: str

    def columns(self, width: int) -> list[list[str]] | None:
        """The cells column by column, when every line has exactly `width` cells (blank lines
        included: their cells are then all blank); None otherwise."""
        if set(map(methodcaller("count", self.delimiter), self.lines)) != {width - 1}:
            return None
        cells = self.delimiter.join(self.lines).split(self.delimiter)
        return [cells[i::width] for i in range(width)]

    def records(self) -> tuple[list[int], list[list[str]]]:
        """The non-blank records with their line, as `text_to_rows` gives them."""
        lines: list[int] = []
        records: list[list[str]] = []
        for number, line in enumerate(self.lines, start=self.first):
            record = line.split(self.delimiter)
            if any(map(str.strip, record)):
                lines.append(number)
                records.append(record)
        return lines, records


class FileRejected(ValueError):
    """The whole file is refused before reading its rows; the message is in French."""


@dataclass
class RawTable:
    """Rows of cells, each with the line number the association sees in its file."""

    rows: Iterator[tuple[int, list[object]]]
    format: str
    details: dict[str, str] = field(default_factory=dict)
    column_label: Callable[[int], str] = lambda i: str(i + 1)
    total_lines: int | None = None
    # Every cell is text as read (CSV): no numbers, dates or formulas from a spreadsheet.
    text_cells: bool = False
    # Plain CSV only: the lines `rows` has not read yet, in blocks of the given size (see
    # `csv_reader.PlainLines`), to convert column by column without a list per line.
    blocks: Callable[[int], Iterator[TextBlock]] | None = None


class LoaderSettings(Settings):
    """Limits of `observatoire charger` (on top of the core settings)."""

    loader_max_file_bytes: int = Field(
        200 * 1024 * 1024, ge=1, description="Largest file `charger` opens (CSV or XLSX)."
    )
    loader_xlsx_max_uncompressed_bytes: int = Field(
        500 * 1024 * 1024,
        ge=1,
        description="Largest total uncompressed size of the members of an XLSX archive.",
    )
    loader_xlsx_max_ratio: int = Field(
        200,
        ge=1,
        description="Largest compression ratio of one XLSX member (zip bombs exceed it).",
    )
    loader_xlsx_ratio_floor_bytes: int = Field(
        1024 * 1024,
        ge=0,
        description="Members smaller than this (uncompressed) are not subject to the ratio cap.",
    )
    loader_bulk_threshold: int = Field(
        10_000,
        ge=1,
        description="Files with more rows than this are stored by the bulk path (COPY).",
    )


def loader_settings(settings: Settings) -> LoaderSettings:
    """`settings` as `LoaderSettings` (core or API settings keep their values)."""
    if isinstance(settings, LoaderSettings):
        return settings
    return LoaderSettings(**settings.model_dump())


def file_size_checked(path: Path, settings: LoaderSettings) -> int:
    """The size of `path`, refused above `loader_max_file_bytes`."""
    size = path.stat().st_size
    if size > settings.loader_max_file_bytes:
        raise FileRejected(
            f"fichier trop volumineux ({size} octets ; au plus "
            f"{settings.loader_max_file_bytes} octets)"
        )
    return size
