"""Cost of the open-data builds on a 5-year publication: the package, what changed, the catalogue.

Usage: .venv/bin/python bench/bench_opendata.py [--years 5]
Each is built once per publication (then served from memory), off the event loop. No target
was set for them: the 2 s printed beside each is this script's proposal for a first download.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from observatoire.domain.periods import month_range  # noqa: E402
from observatoire.domain.taxonomy import load_taxonomy  # noqa: E402
from observatoire.domain.territories import load_territories  # noqa: E402
from observatoire.opendata.catalogue import catalogue, to_turtle  # noqa: E402
from observatoire.opendata.changes import compare  # noqa: E402
from observatoire.opendata.package import build_package  # noqa: E402
from tests.support.published_fixture import build_cube, published_cube  # noqa: E402

REFERENCE_S = 2.0


def timed(label: str, run) -> object:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:6.2f} s   (reference ≤ {REFERENCE_S:.1f} s)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=5)
    years = parser.parse_args().years
    territories, taxonomy = load_territories(), load_taxonomy()
    last = f"{2020 + years - 1}-12"
    after = published_cube(2, *build_cube(month_range("2020-01", last), seed=1))
    before = published_cube(1, *build_cube(month_range("2020-01", last), seed=2))
    cells = len(after.territories) * len(after.incidents) * len(after.periods)
    print(f"{years} years: {cells:,} cells per publication")
    package = timed("package (27 CSV, datapackage.json, README)", lambda: build_package(
        after, territories, taxonomy))  # fmt: skip
    print(f"{'':<48} {len(package) / 1e6:6.2f} MB zip")  # type: ignore[arg-type]
    found = timed("changes, consolidated (every cell compared)",
                  lambda: compare(before, after, territories, taxonomy))  # fmt: skip
    print(f"{'':<48} {len(found.cells):,} cells changed")  # type: ignore[attr-defined]
    metas = [after.meta, before.meta] * 30
    document = timed("catalogue of 60 publications (JSON-LD dicts)",
                     lambda: catalogue(metas, base_url="https://x/", publisher="P"))  # fmt: skip
    timed("the same in Turtle (rdflib)", lambda: to_turtle(document))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
