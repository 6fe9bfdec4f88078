"""The data contract (`contract/`) agrees with the reference data, settings and API validation."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from frictionless import Resource, Schema, validate

from api.main import create_app
from api.settings import ApiSettings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.loading.contract import (
    CONTRACT_DIR,
    SCHEMA_FILE,
    reference_to_schema,
    schema_to_text,
)
from observatoire.settings import Settings
from observatoire.submissions.parsing import parse_csv_body
from observatoire.submissions.validation import validate_rows

VALID = CONTRACT_DIR / "exemple-valide.csv"
INVALID = sorted((CONTRACT_DIR / "exemples-invalides").glob("*.csv"))
TODAY = date(2026, 11, 26)


def field(name: str) -> dict:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return next(f for f in schema["fields"] if f["name"] == name)


def api_validation(path: Path):
    settings = Settings(environment="test")
    return validate_rows(
        parse_csv_body(path.read_bytes()),
        territories=load_territories(),
        taxonomy=load_taxonomy(),
        settings=settings,
        today=TODAY,
    )


def frictionless_report(path: Path):
    schema = Schema.from_descriptor(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    relative = path.relative_to(CONTRACT_DIR).as_posix()  # frictionless refuses absolute paths
    return validate(Resource(path=relative, basepath=str(CONTRACT_DIR), schema=schema))


def test_committed_schema_is_the_generated_one():
    generated = reference_to_schema(
        load_territories(), load_taxonomy(), Settings(environment="test")
    )
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_to_text(generated), (
        "contract/schema.json is stale: run `python -m observatoire.loading.contract`"
    )


def test_enums_and_limits_equal_the_reference_data_and_settings():
    assert field("departement")["constraints"]["enum"] == [
        d.code for d in load_territories().departements
    ]
    assert len(field("departement")["constraints"]["enum"]) == 101
    assert field("type_incident")["constraints"]["enum"] == list(load_taxonomy().type_codes)
    assert len(field("type_incident")["constraints"]["enum"]) == 17
    assert field("nombre")["constraints"]["maximum"] == Settings().submission_max_count
    assert field("nombre")["constraints"]["minimum"] == 0


def test_schema_follows_schema_data_gouv_conventions():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for key in ("$schema", "name", "title", "description", "countryCode", "homepage", "path"):
        assert schema[key]
    for key in ("resources", "created", "lastModified", "version", "contributors", "licenses"):
        assert schema[key]
    assert "Licence Ouverte" in schema["licenses"][0]["title"]
    assert schema["primaryKey"] == ["departement", "mois", "type_incident"]
    for f in schema["fields"]:
        assert {"name", "title", "description", "example", "type", "constraints"} <= set(f)
    with VALID.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [f["name"] for f in schema["fields"]]


def test_valid_example_passes_frictionless_and_the_api_validation():
    report = frictionless_report(VALID)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    result = api_validation(VALID)
    assert result.ok, result.errors
    assert len(result.rows) == sum(1 for _ in VALID.open()) - 1


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_example_fails_both(path):
    assert not frictionless_report(path).valid
    assert not api_validation(path).ok


def test_there_are_invalid_examples_for_each_field():
    names = {p.stem for p in INVALID}
    for prefix in ("departement", "mois", "type", "nombre", "ligne-en-double"):
        assert any(n.startswith(prefix) for n in names)


def test_schema_is_served_by_the_api(tmp_path):
    settings = ApiSettings(environment="test", database_url=f"sqlite:///{tmp_path}/a.db")
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/schema")
    assert response.status_code == 200
    assert response.json() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
