"""Cell values as associations type them → canonical values, or a clear reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.loading.normalise import (
    CellError,
    header_to_field,
    header_to_type,
    value_to_count,
    value_to_departement,
    value_to_month,
)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("93", "93"),
        ("Seine-Saint-Denis", "93"),
        ("93 - Seine-Saint-Denis", "93"),
        ("seine st denis", "93"),
        ("SEINE SAINT DENIS", "93"),
        ("2a", "2A"),
        ("1", "01"),
        (1, "01"),
        (93.0, "93"),
        ("La Réunion", "974"),
        ("reunion", "974"),
        ("Cote d'or", "21"),
        ("971", "971"),
    ],
)
def test_departement_by_code_or_name(value, code):
    assert value_to_departement(value, load_territories()) == code


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Corse", "ambigu"),
        ("20", "2A"),
        ("975", "inconnu"),
        ("Seine St Dennis", "vouliez-vous dire 93 Seine-Saint-Denis"),
        ("93 - Paris", "deux départements différents"),
        ("", "manquant"),
    ],
)
def test_departement_refused(value, reason):
    with pytest.raises(CellError, match=reason):
        value_to_departement(value, load_territories())


@pytest.mark.parametrize(
    "value",
    [
        "2025-03",
        "03/2025",
        "3/2025",
        "mars 2025",
        "Mars 2025",
        "MARS 2025",
        "mars-25",
        "2025-03-01",
        "01/03/2025",
        "2025-03-01 00:00:00",
        datetime(2025, 3, 1),
        date(2025, 3, 17),
    ],
)
def test_month_variants(value):
    assert value_to_month(value) == "2025-03"


@pytest.mark.parametrize("value", ["2025-13", "13/2025", "31/02/2025", "foo", "", None])
def test_month_refused(value):
    with pytest.raises(CellError):
        value_to_month(value)


@pytest.mark.parametrize(
    ("value", "count"),
    [("12", 12), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234", 1234), (7.0, 7), (0, 0)],
)
def test_counts(value, count):
    assert value_to_count(value) == count


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2,5", "décimal"),
        ("2.5", "décimal"),
        (2.5, "décimal"),
        ("-3", "négatif"),
        (-3, "négatif"),
        ("", "manquant"),
        ("douze", "illisible"),
        (True, "illisible"),
    ],
)
def test_counts_refused(value, reason):
    with pytest.raises(CellError, match=reason):
        value_to_count(value)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Département", "departement"),
        ("TYPE INCIDENT", "type_incident"),
        ("Type d'incident", "type_incident"),
        ("type_incident", "type_incident"),
        ("Nombre", "nombre"),
        (" Mois ", "mois"),
        ("Nb de signalements", "nombre"),
        ("Commentaire", None),
    ],
)
def test_header_variants(header, field):
    assert header_to_field(header) == field


def test_type_columns_by_code_or_label():
    taxonomy = load_taxonomy()
    assert header_to_type("Dépôt impossible (panne technique)", taxonomy) == "depot_impossible"
    assert header_to_type("RDV_INDISPONIBLE", taxonomy) == "rdv_indisponible"
    assert header_to_type("Total", taxonomy) is None
