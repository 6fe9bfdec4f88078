"""The engine's output on a fixed cube is pinned: a refactoring must hide exactly the same cells.

The cube uses the real territories and taxonomy (so slabs are narrower than the cube) and
seeded sparse counts from several associations (small counts and dominance both hide cells).
Three vintages run as the product runs them: an initial publication of two months, a monthly
one completing the first quarter (the year is protected again under the earlier cells), and a
monthly one adding April (the hidden cells of the earlier months carry their protection).

The expected file was written by the engine before its refactoring into one range module:
    REGENERATE_REFERENCE=1 .venv/bin/python -m pytest \
        tests/observatoire/disclosure/test_disclosure_reference.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from observatoire.disclosure.primary import primary_mask
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.dimensions import dep_id
from observatoire.publication.protection import protect_by_year, year_cubes
from observatoire.publication.stored import HIDDEN

EXPECTED = Path(__file__).parent / "reference" / "protected-cube.json"
K = 11
VINTAGES = (["2025-01", "2025-02"], ["2025-03"], ["2025-04"])


def reference_contributions() -> dict[tuple[str, str, str], dict[str, int]]:
    """Sparse seeded counts: most départements small, a few large; 1 to 3 associations."""
    rng = np.random.default_rng(20)
    territories, taxonomy = load_territories(), load_taxonomy()
    months = [m for vintage in VINTAGES for m in vintage]
    out: dict[tuple[str, str, str], dict[str, int]] = {}
    for dep in territories.departements:
        scale = float(rng.choice([0.5, 1.5, 4.0, 12.0], p=[0.3, 0.3, 0.25, 0.15]))
        for incident in taxonomy.types:
            for month in months:
                n = int(rng.poisson(scale))
                if n == 0:
                    continue
                orgs = {"1": n}
                if n > 2 and rng.random() < 0.5:
                    share = int(rng.integers(1, n))
                    orgs = {"1": n - share, "2": share}
                out[(dep_id(dep.code), incident.code, month)] = orgs
    return out


def protect_vintages() -> list[dict[str, object]]:
    """Per vintage: the cube's shape and its hidden cells as gaps between flat indices."""
    territories, taxonomy = load_territories(), load_taxonomy()
    contributions = reference_contributions()
    old: dict[tuple[str, str, str], int] | None = None
    months: list[str] = []
    out: list[dict[str, object]] = []
    for vintage in VINTAGES:
        months = months + vintage
        part = {key: v for key, v in contributions.items() if key[2] in months}
        table = protect_by_year(part, territories, taxonomy, months, K, old, False)
        cells = [
            (t, i, p) for t in table.territories for i in table.incidents for p in table.periods
        ]
        values = table.published.ravel()
        old = {key: int(v) for key, v in zip(cells, values.tolist(), strict=True)}
        hidden = np.flatnonzero(values == HIDDEN)
        primary = sum(
            int(primary_mask(cube, K).sum())
            for _, cube in year_cubes(part, territories, taxonomy, months)
        )
        out.append(
            {
                "shape": list(table.published.shape),
                "primary": primary,
                "hidden": int(hidden.size),
                "gaps": np.diff(hidden, prepend=0).tolist(),
            }
        )
    return out


def test_protection_hides_the_reference_cells() -> None:
    got = protect_vintages()
    if os.environ.get("REGENERATE_REFERENCE"):
        EXPECTED.parent.mkdir(exist_ok=True)
        EXPECTED.write_text(
            "[\n" + ",\n".join(json.dumps(v, separators=(",", ":")) for v in got) + "\n]\n",
            encoding="utf-8",
        )
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    # Secondary suppression must be part of what is pinned, not only the primary cells.
    assert all(int(v["hidden"]) > int(v["primary"]) for v in expected)
    for n, (cells, want) in enumerate(zip(got, expected, strict=True)):
        assert cells["shape"] == want["shape"], f"vintage {n}: the cube changed"
        gained = set(np.cumsum(cells["gaps"]).tolist()) - set(np.cumsum(want["gaps"]).tolist())
        lost = set(np.cumsum(want["gaps"]).tolist()) - set(np.cumsum(cells["gaps"]).tolist())
        assert (cells["hidden"], sorted(gained), sorted(lost)) == (want["hidden"], [], []), (
            f"vintage {n}: {cells['hidden']} hidden cells, expected {want['hidden']}"
        )
