"""Publication as the product runs it: `publish()` on synthetic national data, per plan.

For each volume (national reports a month), each publication plan and each history length:
a full publication of every month but the last (protection), its audit, then the monthly
publication of December that completes the year. Printed side by side for the plans (before:
`complet`, every table, the behaviour before plans; after: `lecteurs`, the default): the
hidden share of each published table, and the hidden département totals (all incidents) of
the year and of its quarters, which are what the maps lose. Data: the demo generator
(101 départements × 17 types, 5 fictional associations), in a fresh SQLite file.

    .venv/bin/python bench/bench_publish.py [--years 1] [--signalements 12000,3000]
                                            [--plans complet,lecteurs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.demo import DEMO_ASSOCIATIONS, DemoPlan, demo_counts  # noqa: E402
from observatoire.disclosure import CellKey  # noqa: E402
from observatoire.domain.periods import period_level, previous_month  # noqa: E402
from observatoire.domain.taxonomy import ALL_TYPES, load_taxonomy  # noqa: E402
from observatoire.publication.auditing import audit_publication  # noqa: E402
from observatoire.publication.dimensions import DEP_PREFIX  # noqa: E402
from observatoire.publication.plan import (  # noqa: E402
    ALL_TABLES,
    describe,
    incident_level,
    territory_level,
)
from observatoire.publication.service import publish  # noqa: E402
from observatoire.publication.stored import HIDDEN, UNPLANNED, published_values  # noqa: E402
from observatoire.settings import Settings  # noqa: E402
from observatoire.store.db import make_engine  # noqa: E402
from observatoire.store.migrate import upgrade  # noqa: E402
from observatoire.submissions.bulk import bulk_store_submission  # noqa: E402
from observatoire.submissions.organisations import create_organisation  # noqa: E402

TODAY = date(2026, 1, 15)  # every month of 2025 and before is complete
GOALS = (
    "sparse volume: <= 4/101 yearly, <= 10 % quarterly département totals hidden; December <= 15 s"
)


def fresh_database(years: int, workdir: Path, per_month: int, plan: str):  # type: ignore[no-untyped-def]
    """A migrated SQLite file holding `years` years of demo counts ending in December 2025."""
    url = f"sqlite:///{workdir / f'publish-{years}-{per_month}-{plan}.db'}"
    upgrade(url)
    settings = Settings(environment="test", database_url=url, publication_plan=plan)
    engine = make_engine(url, settings)
    counts = demo_counts(DemoPlan(f"{2026 - years}-01", "2025-12", reports_per_month=per_month))
    for slug, name in DEMO_ASSOCIATIONS:
        org = create_organisation(engine, slug, name, synthetique=True)
        bulk_store_submission(engine, org.id, None, counts[slug], source="demo")
    return engine, settings


def hidden_dep_totals(cells: dict[CellKey, int], year: str) -> tuple[int, int, int, int]:
    """Hidden département totals (all incidents) of `year`, and of its quarters: what a map loses."""
    yearly = [v for (t, i, p), v in cells.items() if t.startswith(DEP_PREFIX) and i == ALL_TYPES
              and p == year]  # fmt: skip
    quarterly = [v for (t, i, p), v in cells.items() if t.startswith(DEP_PREFIX)
                 and i == ALL_TYPES and p.startswith(f"{year}-T")]  # fmt: skip
    return (sum(v == HIDDEN for v in yearly), len(yearly),
            sum(v == HIDDEN for v in quarterly), len(quarterly))  # fmt: skip


def table_shares(cells: dict[CellKey, int]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Per published table: hidden cells and cells."""
    families = [f.code for f in load_taxonomy().families]
    hidden: Counter[tuple[str, str, str]] = Counter()
    cells: Counter[tuple[str, str, str]] = Counter()
    for (t, i, p), v in cells.items():
        if v == UNPLANNED:
            continue
        table = (territory_level(t), incident_level(i, families), period_level(p))
        cells[table] += 1
        hidden[table] += v == HIDDEN
    return {table: (hidden[table], cells[table]) for table in cells}


@dataclass
class Run:
    """One volume × plan × history length."""

    cells: int = 0
    hidden: int = 0
    protect_s: float = 0.0
    audit_s: float = 0.0
    exposed: int = 0
    december_s: float = 0.0
    totals: tuple[int, int, int, int] = (0, 0, 0, 0)
    tables: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)


def run(years: int, per_month: int, plan: str, workdir: Path) -> Run:
    engine, settings = fresh_database(years, workdir, per_month, plan)
    last = "2025-12"
    started = time.perf_counter()
    pub = publish(engine, settings, up_to=previous_month(last), today=TODAY)
    out = Run(protect_s=time.perf_counter() - started)
    result = audit_publication(engine, settings, pub.id, exact=False)
    out.audit_s, out.exposed = result.report.seconds, len(result.report.exposed)
    started = time.perf_counter()
    december = publish(engine, settings, up_to=last, today=TODAY)
    out.december_s = time.perf_counter() - started
    out.cells, out.hidden = december.cellules, december.cellules_secretes
    cells = published_values(december.contenu)
    out.totals = hidden_dep_totals(cells, last[:4])
    out.tables = table_shares(cells)
    engine.dispose()
    return out


def share(pair: tuple[int, int] | None) -> str:
    return "—" if pair is None else f"{pair[0] / pair[1]:.0%} ({pair[0]}/{pair[1]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", default="1", help="history lengths, comma-separated")
    parser.add_argument(
        "--signalements",
        default=f"{DemoPlan.reports_per_month},3000",
        help="national reports a month, comma-separated (the demo's volume, then sparse data)",
    )
    parser.add_argument(
        "--plans", default="complet,lecteurs", help="plans compared (before, after)"
    )
    args = parser.parse_args()
    lengths = [int(x) for x in args.years.split(",")]
    volumes = [int(x) for x in args.signalements.split(",")]
    plans = args.plans.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        for per_month in volumes:
            for years in lengths:
                runs = {}
                for plan in plans:
                    print(f"… {per_month:,}/month, {years} year(s), plan {plan}", flush=True)
                    runs[plan] = run(years, per_month, plan, Path(tmp))
                print(f"\n== {per_month:,} reports a month, {years} year(s) of history ==")
                print(f"{'':44}" + "".join(f"{plan:>24}" for plan in plans))
                rows = [
                    ("published cells (December)", lambda r: f"{r.cells:,}"),
                    ("hidden", lambda r: f"{r.hidden:,} ({r.hidden / r.cells:.0%})"),
                    ("protection, all months but the last (s)", lambda r: f"{r.protect_s:.1f}"),
                    ("audit (s)", lambda r: f"{r.audit_s:.1f}"),
                    ("exposed cells in the audit", lambda r: str(r.exposed)),
                    ("December, completing the year (s)", lambda r: f"{r.december_s:.1f}"),
                    ("hidden yearly département totals", lambda r: f"{r.totals[0]}/{r.totals[1]}"),
                    (
                        "hidden quarterly département totals",
                        lambda r: f"{r.totals[2]}/{r.totals[3]} ({r.totals[2] / r.totals[3]:.0%})",
                    ),
                ]
                for name, fmt in rows:
                    print(f"{name:44}" + "".join(f"{fmt(runs[p]):>24}" for p in plans))
                print("hidden share per published table (December publication):")
                for table in ALL_TABLES:
                    if any(table in runs[p].tables for p in plans):
                        cells = "".join(f"{share(runs[p].tables.get(table)):>24}" for p in plans)
                        print(f"  {describe(table):42}{cells}")
                print(flush=True)
    print(f"goals ({GOALS}); monthly <= 30 s and 5-year recomputation <= 300 s (2 cores)")


if __name__ == "__main__":
    main()
