"""Publication as the product runs it: `publish()` on synthetic national data.

For each history length, a full recomputation (suppression) then a separate audit; then a
monthly incremental publication. Data: the demo generator (101 départements × 17 types,
~12,000 reports a month, 5 fictional associations), stored in a fresh SQLite file.

    .venv/bin/python bench/bench_publish.py [--years 1,3,5] [--signalements 12000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.demo import DEMO_ASSOCIATIONS, DemoPlan, demo_counts  # noqa: E402
from observatoire.domain.periods import month_range, previous_month  # noqa: E402
from observatoire.domain.taxonomy import ALL_TYPES  # noqa: E402
from observatoire.publication.auditing import audit_publication  # noqa: E402
from observatoire.publication.dimensions import DEP_PREFIX  # noqa: E402
from observatoire.publication.service import publish  # noqa: E402
from observatoire.publication.stored import HIDDEN, published_values  # noqa: E402
from observatoire.settings import Settings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402
from observatoire.submissions.bulk import bulk_store_submission  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402

TODAY = date(2026, 1, 15)  # every month of 2025 and before is complete


def fresh_database(years: int, workdir: Path, per_month: int):  # type: ignore[no-untyped-def]
    """A migrated SQLite file holding `years` years of demo counts ending in December 2025."""
    url = f"sqlite:///{workdir / f'publish-{years}.db'}"
    upgrade(url)
    settings = Settings(environment="test", database_url=url)
    engine = make_engine(url, settings)
    counts = demo_counts(DemoPlan(f"{2026 - years}-01", "2025-12", reports_per_month=per_month))
    for slug, name in DEMO_ASSOCIATIONS:
        org = create_organisation(engine, slug, name, synthetique=True)
        bulk_store_submission(engine, org.id, None, counts[slug], source="demo")
    return engine, settings


def hidden_dep_totals(contenu: bytes, year: str) -> tuple[int, int, int, int]:
    """Hidden département totals (all incidents) of `year`, and of its quarters: what a map loses."""
    cells = published_values(contenu)
    yearly = [v for (t, i, p), v in cells.items() if t.startswith(DEP_PREFIX) and i == ALL_TYPES
              and p == year]  # fmt: skip
    quarterly = [v for (t, i, p), v in cells.items() if t.startswith(DEP_PREFIX)
                 and i == ALL_TYPES and p.startswith(f"{year}-T")]  # fmt: skip
    return (sum(v == HIDDEN for v in yearly), len(yearly),
            sum(v == HIDDEN for v in quarterly), len(quarterly))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", default="1,3,5", help="history lengths, comma-separated")
    parser.add_argument(
        "--signalements",
        type=int,
        default=DemoPlan.reports_per_month,
        help="national reports a month (the demo's volume by default; fewer: sparser, slower)",
    )
    args = parser.parse_args()
    lengths = [int(x) for x in args.years.split(",")]
    print(f"demo data: {args.signalements:,} reports a month on average")
    print(
        f"{'years':>5} {'cells':>9} {'hidden':>8} {'hidden %':>8} {'protect s':>10} {'audit s':>8}"
        f" {'exposed':>8}   + monthly incremental s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for years in lengths:
            engine, settings = fresh_database(years, Path(tmp), args.signalements)
            last = "2025-12"
            started = time.perf_counter()
            pub = publish(engine, settings, up_to=previous_month(last), today=TODAY)
            protect_s = time.perf_counter() - started
            result = audit_publication(engine, settings, pub.id, exact=False)
            started = time.perf_counter()
            monthly = publish(engine, settings, up_to=last, today=TODAY)
            monthly_s = time.perf_counter() - started
            months = len(month_range(pub.premier_mois, pub.donnees_jusqu_a))
            print(
                f"{years:>5} {pub.cellules:>9,} {pub.cellules_secretes:>8,} "
                f"{pub.cellules_secretes / pub.cellules:>8.1%} {protect_s:>10.1f} "
                f"{result.report.seconds:>8.1f} {len(result.report.exposed):>8}   "
                f"{monthly_s:.1f} ({months} → {months + 1} months, "
                f"{monthly.cellules_secretes:,} hidden)",
                flush=True,
            )
            y_hid, y_all, q_hid, q_all = hidden_dep_totals(monthly.contenu, last[:4])
            print(
                f"      hidden département totals (all incidents) of {last[:4]}: "
                f"{y_hid}/{y_all} yearly, {q_hid}/{q_all} quarterly",
                flush=True,
            )
            engine.dispose()
    print("targets: monthly incremental <= 30 s; full 5-year recomputation <= 300 s (2 cores)")


if __name__ == "__main__":
    main()
