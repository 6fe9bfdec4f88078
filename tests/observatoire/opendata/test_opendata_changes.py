"""What changed between two published cubes: every kind of change, counted and worded right,
and never a value a publication hid."""

from __future__ import annotations

import pytest

from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.opendata.changes import compare, previous_publication
from observatoire.opendata.summary import summary
from observatoire.publication.dimensions import dep_id, reg_id
from observatoire.publication.snapshot import HIDDEN, PublishedCube
from tests.support.published_fixture import build_cube
from tests.support.published_fixture import published_cube as make_cube

TERRITORIES = load_territories()
TAXONOMY = load_taxonomy()


@pytest.fixture(scope="module")
def twelve():
    """(ids, incidents, periods, values) of a 2024 publication."""
    return build_cube(month_range("2024-01", "2024-12"), seed=5)


def _restrict(pub_id: int, cube_arrays, keep: list[str]) -> PublishedCube:
    ids, incidents, periods, values = cube_arrays
    index = [periods.index(p) for p in keep]
    return make_cube(pub_id, ids, incidents, keep, values[:, :, index])


def test_a_monthly_publication_only_adds_periods(twelve):
    ids, incidents, periods, values = twelve
    old_periods = [p for p in periods if p not in ("2024-12", "2024-T4", "2024")]
    before = _restrict(1, twelve, old_periods)
    after = make_cube(2, ids, incidents, periods, values)
    changes = compare(before, after, TERRITORIES, TAXONOMY)
    assert changes.cells == []
    assert [p.periode for p in changes.new_periods] == ["2024-12", "2024-T4", "2024"]
    december = changes.new_periods[0]
    col = periods.index("2024-12")
    deps = [i for i, t in enumerate(ids) if t.startswith("dep:")]
    visible = int((values[deps, :, col] != HIDDEN).sum())
    assert december.publiees["departement"] == visible
    assert december.secretes["departement"] == len(deps) * len(incidents) - visible
    assert december.total_france == int(values[ids.index("FR"), 0, col])
    text = summary(changes)
    n = f"{visible:,}".replace(",", "\u202f")
    assert f"2024-12 : {n} nouvelles valeurs départementales" in text[1]
    assert "Aucune valeur déjà publiée n'a changé." in text


def test_each_kind_of_change_is_found_and_hidden_values_stay_hidden(twelve):
    ids, incidents, periods, values = twelve
    before_values = values.copy()
    after_values = values.copy()
    t, p = ids.index(dep_id("93")), periods.index("2024-03")
    visible = [i for i in range(len(incidents)) if before_values[t, i, p] >= 11]
    hidden = [i for i in range(len(incidents)) if before_values[t, i, p] == HIDDEN]
    revised, now_hidden = visible[0], visible[1]
    now_published = hidden[0]
    after_values[t, revised, p] += 5
    after_values[t, now_hidden, p] = HIDDEN
    after_values[t, now_published, p] = 42
    before = make_cube(1, ids, incidents, periods, before_values)
    after = make_cube(2, ids, incidents, periods, after_values, kind="consolidee")
    changes = compare(before, after, TERRITORIES, TAXONOMY)
    got = {(c.type, c.changement): (c.valeur_avant, c.valeur_apres) for c in changes.cells}
    assert got == {
        (incidents[revised], "revisee"): (
            int(values[t, revised, p]),
            int(values[t, revised, p]) + 5,
        ),
        (incidents[now_hidden], "masquee"): (int(values[t, now_hidden, p]), None),
        (incidents[now_published], "publiee"): (None, 42),
    }
    assert all(c.code == "93" and c.periode == "2024-03" for c in changes.cells)
    text = " ".join(summary(changes))
    assert (
        "1 valeur déjà publiée a été révisée (1 départementale, 0 régionale, 0 nationale)" in text
    )
    assert "1 cellule auparavant masquée est désormais publiée" in text
    assert "1 cellule publiée auparavant est désormais masquée" in text


def test_no_change_shows_a_value_its_publication_hid(twelve):
    ids, incidents, periods, values = twelve
    other = build_cube(month_range("2024-01", "2024-12"), seed=6)[3]
    before = make_cube(1, ids, incidents, periods, values)
    after = make_cube(2, ids, incidents, periods, other)
    changes = compare(before, after, TERRITORIES, TAXONOMY)
    assert changes.count("revisee") and changes.count("publiee") and changes.count("masquee")
    cube_id = {"departement": dep_id, "region": reg_id, "france": lambda code: code}
    for cell in changes.cells:
        key = (cube_id[cell.niveau](cell.code), cell.type, cell.periode)
        assert cell.valeur_avant == before.get(*key) and cell.valeur_apres == after.get(*key)
        assert (cell.valeur_avant is None) == (cell.changement == "publiee")
        assert (cell.valeur_apres is None) == (cell.changement == "masquee")


def test_first_publication_is_summarised_by_step(twelve):
    ids, incidents, periods, values = twelve
    changes = compare(None, make_cube(1, ids, incidents, periods, values), TERRITORIES, TAXONOMY)
    text = summary(changes)
    assert "première publication" in text[0]
    assert (
        "12 mois (2024-01 à 2024-12), 4 trimestres (2024-T1 à 2024-T4), 1 année (2024)" in text[1]
    )
    assert len(text) == 2


def test_previous_publication():
    assert previous_publication([5, 4, 2, 1], 4) == 2
    assert previous_publication([5, 4, 2, 1], 1) is None
    assert previous_publication([3], 7) == 3
