"""The whole-publication package: a valid Frictionless data package whose cells are the cube's."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import frictionless
import pytest

from observatoire.domain.periods import month_range, period_level
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.opendata.package import build_package
from observatoire.publication.dimensions import dep_id, reg_id
from tests.support.published_fixture import build_cube
from tests.support.published_fixture import published_cube as make_cube

TERRITORIES = load_territories()
TAXONOMY = load_taxonomy()
CUBE_ID = {"departement": dep_id, "region": reg_id, "france": lambda code: code}


@pytest.fixture(scope="module")
def cube():
    return make_cube(7, *build_cube(month_range("2023-11", "2024-12"), seed=3))


@pytest.fixture(scope="module")
def archive(cube) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build_package(cube, TERRITORIES, TAXONOMY)))


def test_package_is_valid_for_frictionless(archive, tmp_path):
    archive.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert names == {
        f"{lv}-{kd}-{st}"
        for lv in ("departement", "region", "france")
        for kd in ("type", "famille", "tous")
        for st in ("mois", "trimestre", "annee")
    }
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert descriptor["synthetique"] is True and "fictives" in descriptor["title"]


def test_every_cell_of_the_cube_is_in_the_package_once(archive, cube):
    seen = {}
    for name in archive.namelist():
        if not name.endswith(".csv"):
            continue
        level, kind, step = name.removesuffix(".csv").split("-")
        for row in csv.DictReader(io.StringIO(archive.read(name).decode())):
            incident = row.get("type_incident") or row.get("famille") or "tous"
            assert period_level(row["periode"]) == step
            key = (CUBE_ID[level](row["code"]), incident, row["periode"])
            value = int(row["valeur"]) if row["valeur"] else None
            assert row["secret"] == ("true" if value is None else "false")
            assert key not in seen
            seen[key] = value
    expected = {
        (t, i, p): cube.get(t, i, p)
        for t in cube.territories
        for i in cube.incidents
        for p in cube.periods
    }
    assert seen == expected
    assert None in seen.values()  # hidden cells are there, empty


def test_readme_tells_method_threshold_coverage_licence(archive):
    readme = archive.read("README.md").decode()
    for fragment in ("k = 11", "2023-11", "2024-12", "secret secondaire", "etalab-2.0",
                     "Données fictives", "signalements"):  # fmt: skip
        assert fragment.lower() in readme.lower(), fragment


def test_same_publication_same_bytes(cube):
    assert build_package(cube, TERRITORIES, TAXONOMY) == build_package(cube, TERRITORIES, TAXONOMY)
