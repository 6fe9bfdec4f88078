"""`load_file`: read, normalise and validate a file, then store it like `POST /v1/soumissions`.

Nothing is written unless every row is valid; the whole file is one submission and one
transaction. Small files go through `store_submission` itself, larger ones (above
`loader_bulk_threshold`) through `bulk_store_submission`, which gives identical results.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine

from observatoire.domain.taxonomy import Taxonomy, load_taxonomy
from observatoire.domain.territories import Territories, load_territories
from observatoire.loading.checking import check_columns
from observatoire.loading.detect import open_table
from observatoire.loading.table import FileRejected, LoaderSettings, RawTable, loader_settings
from observatoire.loading.wide import LAYOUT_HELP, Layout, LoadIssue, RecordReader, header_to_layout
from observatoire.settings import Settings
from observatoire.submissions.bulk import bulk_store_submission
from observatoire.submissions.organisations import get_organisation
from observatoire.submissions.store import SubmissionSummary, store_submission
from observatoire.submissions.validation import (
    ValidColumns,
)

# progress(stage, done, total): stages `lecture`, `enregistrement`; total None when unknown.
Progress = Callable[[str, int, int | None], None]
HEADER_SEARCH_LINES = 10  # title lines above the header are common in spreadsheets
BLOCK_LINES = 20_000  # lines converted together (column by column when clean), and progress step


@dataclass
class LoadReport:
    """What `load_file` read, refused and stored."""

    path: Path
    format: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    layout: str | None = None
    lines_read: int = 0
    values_read: int = 0
    accepted: int = 0
    issues: list[LoadIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: SubmissionSummary | None = None
    valid: ValidColumns | None = None
    dry_run: bool = False
    store_path: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        """Lines (or cells, in a wide layout) with at least one problem."""
        return len({(i.ligne, i.colonne) for i in self.issues})

    @property
    def ok(self) -> bool:
        """Whether the file was accepted (stored, or storable for a dry run)."""
        return not self.issues


def find_layout(table: RawTable, taxonomy: Taxonomy) -> tuple[Layout, list[object]]:
    """The header row among the first lines, and the layout it describes."""
    first: list[object] | None = None
    for _ in range(HEADER_SEARCH_LINES):
        line, cells = next(table.rows, (0, None))
        if cells is None:
            break
        first = first if first is not None else cells
        if layout := header_to_layout(line, cells, taxonomy):
            return layout, cells
    shown = " | ".join(str(c) for c in first or [] if c is not None)
    raise FileRejected(f"en-tête introuvable (première ligne : « {shown} ») ; {LAYOUT_HELP}")


def parse_table(
    table: RawTable,
    territories: Territories,
    taxonomy: Taxonomy,
    progress: Progress | None = None,
) -> tuple[Layout, RecordReader]:
    """Every data line of `table` turned into long rows (or issues)."""
    layout, header = find_layout(table, taxonomy)
    reader = RecordReader(
        layout, header, territories, taxonomy, table.column_label, text_cells=table.text_cells
    )
    if table.blocks is not None:  # plain CSV: no list per line while its blocks are clean
        for text in table.blocks(BLOCK_LINES):
            reader.read_text_block(text)
            if progress:
                progress("lecture", text.first + len(text.lines) - 1, table.total_lines)
    while block := list(islice(table.rows, BLOCK_LINES)):
        lines, records = zip(*block, strict=True)
        reader.read_block(lines, records)
        if progress:
            progress("lecture", lines[-1], table.total_lines)
    if progress:
        progress("lecture", table.total_lines or reader.lines, table.total_lines)
    return layout, reader


def load_file(
    path: Path,
    *,
    org_slug: str,
    engine: Engine,
    settings: Settings,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> LoadReport:
    """Load a CSV or XLSX file for organisation `org_slug`: all rows or nothing."""
    organisation = get_organisation(engine, org_slug)
    return load_path(
        path,
        organisation_id=organisation.id,
        engine=engine,
        settings=settings,
        dry_run=dry_run,
        progress=progress,
        today=today,
        origin=FileOrigin(fichier=Path(path).name),
    )


@dataclass(frozen=True)
class FileOrigin:
    """Who sent a file and why: stored with its submission."""

    fichier: str | None = None
    key_prefix: str | None = None
    motif: str | None = None
    max_rows: int | None = None  # None: as many as the file holds (the operator's command)


def load_path(
    path: Path,
    *,
    organisation_id: int,
    engine: Engine,
    settings: Settings,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
    origin: FileOrigin | None = None,
) -> LoadReport:
    """Load a CSV or XLSX file for an organisation: the one path of `observatoire charger` and
    of `POST /v1/soumissions/fichier`."""
    with _gc_paused():
        return _load_file(
            path,
            organisation_id,
            engine,
            settings,
            dry_run,
            progress,
            today,
            origin or FileOrigin(),
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off while loading. A large file allocates millions of
    short-lived containers (CSV records, COPY rows) that form no cycles; scanning them again
    and again doubled the reading time (1,000,000 lines: 8.5 s of CPU instead of 4.2 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_file(
    path: Path,
    organisation_id: int,
    engine: Engine,
    settings: Settings,
    dry_run: bool,
    progress: Progress | None,
    today: date | None,
    origin: FileOrigin,
) -> LoadReport:
    limits: LoaderSettings = loader_settings(settings)
    territories = load_territories(settings.geodata_dir)
    taxonomy = load_taxonomy()
    report = LoadReport(path=Path(path), dry_run=dry_run)
    started = time.perf_counter()
    try:
        table = open_table(report.path, limits)
        report.format, report.details = table.format, table.details
        layout, reader = parse_table(table, territories, taxonomy, progress)
    except FileRejected as exc:
        report.issues.append(LoadIssue(None, None, None, None, str(exc)))
        return report
    report.layout = layout.kind
    report.lines_read = reader.lines
    report.values_read = len(reader.row_lines) + len({(i.ligne, i.colonne) for i in reader.issues})
    if origin.max_rows is not None and report.values_read > origin.max_rows:
        reason = (
            f"le fichier contient {report.values_read} valeurs, au plus {origin.max_rows} sont "
            "acceptées en un envoi : découpez-le en plusieurs fichiers"
        )
        report.issues.append(LoadIssue(None, None, None, report.values_read, reason))
        return report
    report.issues.extend(reader.issues)
    if not reader.row_lines and not reader.issues:
        report.issues.append(
            LoadIssue(None, None, None, None, "le fichier ne contient aucune valeur")
        )
    report.notes.extend(_notes(layout, reader, table))
    report.timings["lecture"] = time.perf_counter() - started

    started = time.perf_counter()
    valid, issues = check_columns(
        reader,
        territories=territories,
        taxonomy=taxonomy,
        settings=settings,
        today=today,
    )
    report.issues.extend(issues)
    report.issues.sort(key=lambda i: (i.ligne or 0, i.colonne or ""))
    report.accepted = (
        len(valid) if not report.issues else max(report.values_read - report.rejected, 0)
    )
    report.timings["validation"] = time.perf_counter() - started
    if report.issues:
        return report
    report.valid = valid
    stored = {"dry_run": dry_run, "fichier": origin.fichier, "motif": origin.motif}

    started = time.perf_counter()
    report.store_path = "bulk" if len(valid) > limits.loader_bulk_threshold else "store_submission"
    if report.store_path == "bulk":
        advance = _store_progress(progress, len(valid))
        report.summary = bulk_store_submission(
            engine,
            organisation_id,
            origin.key_prefix,
            valid,
            source="fichier",
            progress=advance,
            **stored,  # type: ignore[arg-type]
        )
    else:
        report.summary = store_submission(
            engine,
            organisation_id,
            origin.key_prefix,
            valid.rows(),
            source="fichier",
            **stored,  # type: ignore[arg-type]
        )
    report.timings["enregistrement"] = time.perf_counter() - started
    return report


def _store_progress(progress: Progress | None, total: int) -> Callable[[int], None] | None:
    """The bulk store's count of rows stored (which restarts at 0 when its transaction is
    retried) as the `enregistrement` stage: never more than `total`."""
    if progress is None:
        return None

    def stored(done: int) -> None:
        progress("enregistrement", done, total)

    return stored


def _notes(layout: Layout, reader: RecordReader, table: RawTable) -> list[str]:
    notes = [f"{k} : {v}" for k, v in table.details.items()]
    notes.append(f"disposition : {layout.kind} (en-tête ligne {layout.header_line})")
    header = reader.header
    for i in layout.ignored_columns:
        notes.append(f"colonne {table.column_label(i)} « {header[i]} » ignorée")
    if reader.totals_skipped:
        notes.append(f"{reader.totals_skipped} ligne(s) de total ignorée(s)")
    return notes
