"""The storage progress of a bulk load: never above the file's rows, even when it is retried."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.loading.load import LoadReport, load_file
from observatoire.loading.table import LoaderSettings
from observatoire.submissions.organisations import create_organisation
from tests.support.races import plans_meet, run_together

KINDS = sorted(load_taxonomy().type_codes)[:4]
CELLS = [
    (dep, mois, kind)
    for dep in ("93", "2A", "974")
    for mois in ("2025-01", "2025-02")
    for kind in KINDS
]
ROWS = [(*cell, n) for n, cell in enumerate(CELLS)]

# Retries come from races between PostgreSQL transactions (SQLite has one writer at a time).
postgresql_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def write_csv(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["departement", "mois", "type_incident", "nombre"])
        writer.writerows(rows)
    return path


def load_watched(path: Path, engine, settings: LoaderSettings) -> tuple[LoadReport, list]:
    """Load `path` in bulk, with every storage progress report as (done, total)."""
    shown: list[tuple[int, int | None]] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "enregistrement":
            shown.append((done, total))

    report = load_file(path, org_slug="cimade", engine=engine, settings=settings, progress=progress)
    return report, shown


@pytest.fixture
def in_bulk(settings, engine) -> LoaderSettings:
    create_organisation(engine, "cimade", "La Cimade")
    return LoaderSettings(**settings.model_dump(), loader_bulk_threshold=1)


def assert_within_and_complete(shown: list[tuple[int, int | None]], rows: int) -> None:
    assert shown, "no storage progress was reported"
    assert all(total == rows for _, total in shown)
    assert all(0 <= done <= rows for done, _ in shown), shown
    assert shown[-1] == (rows, rows)


def test_bulk_progress_ends_at_the_row_count(engine, in_bulk, tmp_path):
    first = write_csv(tmp_path / "premier.csv", ROWS)
    report, shown = load_watched(first, engine, in_bulk)
    assert report.ok and report.store_path == "bulk"
    assert_within_and_complete(shown, len(ROWS))
    # A correction: some cells changed, the others unchanged (less to write than rows).
    second = write_csv(
        tmp_path / "second.csv", [(*r[:3], r[3] + (i % 2)) for i, r in enumerate(ROWS)]
    )
    report, shown = load_watched(second, engine, in_bulk)
    assert report.ok and report.summary.modifiees == len(ROWS) // 2
    assert_within_and_complete(shown, len(ROWS))


@postgresql_only
def test_a_retried_bulk_load_never_shows_more_than_its_rows(engine, in_bulk, tmp_path, monkeypatch):
    """The race of `test_batches_creating_the_same_cells_at_once_are_retried_not_failed`, through
    the loader: two loads of the same new cells plan at once, the second one's COPY fails on the
    unique constraint and is retried; its progress must not add the failed attempt's rows."""
    path = write_csv(tmp_path / "lot.csv", ROWS)
    plans_meet(monkeypatch)
    results = run_together(lambda: load_watched(path, engine, in_bulk))
    assert all(isinstance(r, tuple) for r in results), results
    summaries = sorted((r.summary.creees, r.summary.inchangees) for r, _ in results)
    assert summaries == [(0, len(ROWS)), (len(ROWS), 0)]  # the second was retried
    for _, shown in results:
        assert_within_and_complete(shown, len(ROWS))
