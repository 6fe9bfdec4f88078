"""Committed reference tables: geodata/departements.json and geodata/regions.json."""

import json
from pathlib import Path

import pytest

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
EXPECTED = sorted(
    [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)


@pytest.fixture(scope="module")
def departements():
    return json.loads((GEODATA / "departements.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regions():
    return json.loads((GEODATA / "regions.json").read_text(encoding="utf-8"))


def test_101_departements_with_exact_codes(departements):
    codes = [d["code"] for d in departements]
    assert len(codes) == 101
    assert all(isinstance(c, str) for c in codes)
    assert codes == EXPECTED  # sorted, no "20", no 975/977/978/98x
    assert set(departements[0]) == {
        "code",
        "nom",
        "region_code",
        "region_nom",
        "prefecture",
        "chef_lieu",
        "population",
    }


def test_regions_partition_departements(departements, regions):
    assert len(regions) == 18
    by_code = {r["code"]: r for r in regions}
    assert len(by_code) == 18
    listed = [c for r in regions for c in r["departements"]]
    assert sorted(listed) == EXPECTED and len(listed) == len(set(listed))
    for dep in departements:
        region = by_code[dep["region_code"]]
        assert dep["code"] in region["departements"]
        assert dep["region_nom"] == region["nom"]
    for region in regions:
        members = [d for d in departements if d["region_code"] == region["code"]]
        assert region["population"] == sum(d["population"] for d in members)


def test_populations(departements):
    assert all(isinstance(d["population"], int) and d["population"] > 0 for d in departements)
    total = sum(d["population"] for d in departements)
    assert 65_000_000 <= total <= 70_000_000
    pops = {d["code"]: d["population"] for d in departements}
    assert pops["976"] > 200_000  # Mayotte has a population
    # Arrondissements municipaux not double counted: Paris is ~2.1 M, not ~4.2 M.
    assert 2_000_000 < pops["75"] < 2_300_000
    assert 1_900_000 < pops["13"] < 2_200_000


@pytest.mark.parametrize(
    ("code", "prefecture", "chef_lieu"),
    [
        ("75", "Préfecture de police", "Paris"),
        ("93", "Préfecture de la Seine-Saint-Denis", "Bobigny"),
        ("59", "Préfecture du Nord", "Lille"),
        ("01", "Préfecture de l'Ain", "Bourg-en-Bresse"),
        ("13", "Préfecture des Bouches-du-Rhône", "Marseille"),
        ("974", "Préfecture de la Réunion", "Saint-Denis"),
        ("28", "Préfecture d'Eure-et-Loir", "Chartres"),
        ("49", "Préfecture de Maine-et-Loire", "Angers"),
        ("976", "Préfecture de Mayotte", "Mamoudzou"),
        ("2A", "Préfecture de la Corse-du-Sud", "Ajaccio"),
    ],
)
def test_prefecture_and_chef_lieu(departements, code, prefecture, chef_lieu):
    dep = next(d for d in departements if d["code"] == code)
    assert dep["prefecture"] == prefecture
    assert dep["chef_lieu"] == chef_lieu


def test_every_prefecture_is_well_formed(departements):
    for dep in departements:
        assert dep["prefecture"].startswith("Préfecture ")
        assert dep["nom"] in dep["prefecture"] or dep["code"] in ("75", "974")
