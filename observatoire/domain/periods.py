"""Periods: months `YYYY-MM`, quarters `YYYY-Tn`, years `YYYY`."""

from __future__ import annotations

import re
from datetime import date

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})-T([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")


def parse_month(text: str) -> tuple[int, int]:
    """Return (year, month) of a `YYYY-MM` string or raise ValueError."""
    match = MONTH_RE.match(text)
    if not match:
        raise ValueError(f"mois invalide « {text} » : format attendu AAAA-MM (ex. 2025-03)")
    return int(match.group(1)), int(match.group(2))


def month_str(year: int, month: int) -> str:
    """Format (year, month) as `YYYY-MM`."""
    return f"{year:04d}-{month:02d}"


def current_month(today: date | None = None) -> str:
    """The current month as `YYYY-MM`."""
    today = today or date.today()
    return month_str(today.year, today.month)


def previous_month(month: str) -> str:
    """The month before `month`."""
    year, m = parse_month(month)
    return month_str(year - 1, 12) if m == 1 else month_str(year, m - 1)


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive (empty when last < first)."""
    year, month = parse_month(first)
    end = parse_month(last)
    out: list[str] = []
    while (year, month) <= end:
        out.append(month_str(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def quarter_of(month: str) -> str:
    """The quarter `YYYY-Tn` containing `month`."""
    year, m = parse_month(month)
    return f"{year:04d}-T{(m - 1) // 3 + 1}"


def year_of(period: str) -> str:
    """The year of a month, quarter or year."""
    return period[:4]


def months_of(period: str) -> list[str]:
    """The months that make up a month, a quarter or a year."""
    if MONTH_RE.match(period):
        return [period]
    if match := QUARTER_RE.match(period):
        year, q = int(match.group(1)), int(match.group(2))
        return [month_str(year, m) for m in range(3 * q - 2, 3 * q + 1)]
    if YEAR_RE.match(period):
        return [month_str(int(period), m) for m in range(1, 13)]
    raise ValueError(
        f"période invalide « {period} » : attendu AAAA, AAAA-Tn (n de 1 à 4) ou AAAA-MM"
    )


PERIOD_LEVELS = ("mois", "trimestre", "annee")  # what `period_level` answers


def period_level(period: str) -> str:
    """`mois`, `trimestre` or `annee` for a valid period string."""
    if MONTH_RE.match(period):
        return "mois"
    if QUARTER_RE.match(period):
        return "trimestre"
    if YEAR_RE.match(period):
        return "annee"
    raise ValueError(
        f"période invalide « {period} » : attendu AAAA, AAAA-Tn (n de 1 à 4) ou AAAA-MM"
    )


def complete_periods(months: list[str]) -> list[str]:
    """Months, then quarters and years whose every month is in `months` (sorted)."""
    have = set(months)
    quarters = sorted({quarter_of(m) for m in have if set(months_of(quarter_of(m))) <= have})
    years = sorted({m[:4] for m in have if set(months_of(m[:4])) <= have})
    return sorted(have) + quarters + years
