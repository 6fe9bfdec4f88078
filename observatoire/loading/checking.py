"""Validation of what a file reader read: the API's own rules (`validate_rows`), with each
problem placed at its file line and column; vectorised when every value passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.loading.wide import LoadIssue, RecordReader
from observatoire.settings import Settings
from observatoire.submissions.validation import (
    ValidColumns,
    ValidRow,
    validate_columns,
    validate_rows,
)


@dataclass(frozen=True)
class _FileLimits:
    """Validation settings for a file: the API's row cap does not apply to files."""

    submission_start_month: str
    submission_max_rows: int
    submission_max_count: int


def check_rows(
    rows: list[dict[str, Any]],
    positions: list[tuple[int, str | None]],
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: Settings,
    today: date | None,
) -> tuple[list[ValidRow], list[LoadIssue]]:
    """`validate_rows` on the long rows, with problems placed at their line (and column)."""
    if not rows:
        return [], []
    limits = _FileLimits(
        settings.submission_start_month, max(len(rows), 1), settings.submission_max_count
    )
    lines = [line for line, _ in positions]
    places = [column for _, column in positions]
    result = validate_rows(
        rows,
        territories=territories,
        taxonomy=taxonomy,
        settings=limits,
        today=today,
        lines=lines,
        places=places,
    )
    issues = [
        LoadIssue(e.ligne, e.emplacement, e.champ, e.valeur, e.raison, e.suggestion)
        for e in result.errors
    ]
    return result.rows, issues


def check_columns(
    reader: RecordReader,
    *,
    territories: Territories,
    taxonomy: Taxonomy,
    settings: Settings,
    today: date | None,
) -> tuple[ValidColumns, list[LoadIssue]]:
    """`check_rows` on what `reader` read, vectorised when every value passes.

    Only when `validate_columns` cannot vouch for every row does the detailed `check_rows` run,
    to place each problem at its line and column: same accepted rows, same issues.
    """
    size = len(reader.row_lines)
    limits = _FileLimits(
        settings.submission_start_month, max(size, 1), settings.submission_max_count
    )
    fast = validate_columns(
        reader.columns,
        territories=territories,
        taxonomy=taxonomy,
        settings=limits,
        today=today,
        lines=reader.row_lines,
    )
    if fast is not None:
        return fast, []
    valid, issues = check_rows(
        reader.rows,
        reader.positions,
        territories=territories,
        taxonomy=taxonomy,
        settings=settings,
        today=today,
    )
    return ValidColumns.from_rows(valid), issues
