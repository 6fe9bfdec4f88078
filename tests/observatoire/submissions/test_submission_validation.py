"""Pure validation and parsing of submitted batches."""

from __future__ import annotations

from datetime import date

import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.settings import Settings
from observatoire.submissions.parsing import ParseError, parse_body, parse_csv_body
from observatoire.submissions.validation import validate_rows
from tests.support.factories import make_row

TODAY = date(2025, 6, 15)


def validate(rows, **settings_overrides):
    settings = Settings(environment="test", **settings_overrides)
    return validate_rows(
        rows,
        territories=load_territories(),
        taxonomy=load_taxonomy(),
        settings=settings,
        today=TODAY,
    )


def test_valid_batch_gives_typed_rows_numbered_as_a_spreadsheet_shows_them():
    result = validate([make_row(), make_row(departement="2A", nombre=0)])
    assert result.ok
    # Element i of a batch is line i + 2: the header is line 1.
    assert [(r.ligne, r.departement, r.nombre) for r in result.rows] == [
        (2, "93", 12),
        (3, "2A", 0),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("departement", "20"),
        ("departement", 93),
        ("departement", "975"),
        ("departement", "1"),
        ("mois", "2025-3"),
        ("mois", "2025-13"),
        ("mois", "2025-07"),  # after the current month (TODAY)
        ("mois", "2019-12"),  # before submission_start_month
        ("mois", 202503),
        ("type_incident", "inconnu"),
        ("type_incident", "acces"),  # a family, not a type
        ("nombre", 1.5),
        ("nombre", 2.0),
        ("nombre", True),
        ("nombre", "12"),
        ("nombre", -1),
        ("nombre", 1_000_001),
    ],
)
def test_each_kind_of_bad_value_is_refused(field, value):
    result = validate([make_row(**{field: value})])
    assert not result.ok and result.rows == []
    (error,) = result.errors
    assert (error.ligne, error.champ, error.valeur) == (2, field, value)
    assert error.raison


def test_current_month_and_start_month_are_accepted():
    assert validate([make_row(mois="2025-06"), make_row(mois="2020-01")]).ok


def test_every_faulty_row_and_field_is_listed():
    rows = [
        make_row(departement="20"),
        make_row(),
        make_row(mois="2031-01", nombre=-3),
        {"departement": "75", "mois": "2025-01", "type_incident": "rdv_indisponible"},
        make_row(commentaire="x"),
        "pas un objet",
        make_row(),  # duplicate of line 2
    ]
    result = validate(rows)
    found = {(e.ligne, e.champ) for e in result.errors}
    assert found == {
        (2, "departement"),
        (4, "mois"),
        (4, "nombre"),
        (5, "nombre"),
        (6, "commentaire"),
        (7, None),
        (8, "departement, mois, type_incident"),
    }
    duplicate = next(e for e in result.errors if e.ligne == 8)
    assert "ligne 3" in duplicate.raison
    expected = {"ligne", "colonne", "champ", "emplacement", "valeur", "message", "suggestion"}
    assert all(set(e.as_dict()) == expected | {"raison"} for e in result.errors)


def test_too_many_rows_and_empty_batch_are_refused_as_a_whole():
    result = validate([make_row(nombre=i) for i in range(3)], submission_max_rows=2)
    assert [e.ligne for e in result.errors] == [None]
    assert validate([]).errors[0].ligne is None


def test_max_count_is_a_setting():
    assert not validate([make_row(nombre=11)], submission_max_count=10).ok
    assert validate([make_row(nombre=10)], submission_max_count=10).ok


def test_csv_semicolon_with_bom_and_comma():
    semicolon = "\ufeffdepartement;mois;type_incident;nombre\r\n93;2025-03;rdv_indisponible;12\r\n"
    comma = "type_incident,nombre,departement,mois\nrdv_indisponible,12,93,2025-03\n\n"
    for text in (semicolon, comma):
        rows = parse_csv_body(text.encode("utf-8"))
        assert rows == [make_row()]
        assert validate(rows).ok


def test_csv_integer_text_becomes_int_but_decimals_do_not():
    text = "departement;mois;type_incident;nombre\n93;2025-03;rdv_indisponible;1.5\n"
    rows = parse_csv_body(text.encode())
    assert rows[0]["nombre"] == "1.5"
    (error,) = validate(rows).errors
    assert error.champ == "nombre"


def test_csv_lines_are_file_lines_and_wrong_width_is_reported():
    text = (
        "departement;mois;type_incident;nombre\n"
        "93;2025-03;rdv_indisponible;12\n"
        "75;2025-03\n"
        "94;2025-03;rdv_indisponible;x\n"
    )
    result = validate(parse_csv_body(text.encode()))
    assert [(e.ligne, e.champ) for e in result.errors] == [(3, None), (4, "nombre")]


def test_csv_header_problems():
    with pytest.raises(ParseError) as info:
        parse_csv_body(b"departement;mois;type;nombre\n93;2025-03;x;1\n")
    assert {e.champ for e in info.value.errors} == {"type_incident", "type"}
    with pytest.raises(ParseError):
        parse_csv_body(b"")
    with pytest.raises(ParseError):
        parse_csv_body("departement;mois\n".encode("utf-16"))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"departement;mois\n93;2025\x00-03\n", "ligne 2 du CSV (en-tête compris) : ce n'est"),
        ("departement;mois\n93;2025-03\n".encode("utf-16-le"), "semble encodé en UTF-16"),
    ],
    ids=["octet-nul", "utf16-sans-bom"],
)
def test_csv_with_a_nul_byte_is_refused_as_a_whole(body, expected):
    with pytest.raises(ParseError) as info:
        parse_csv_body(body)
    (error,) = info.value.errors
    assert error.ligne is None and expected in error.raison and "UTF-8" in error.raison


def test_json_body_shape_and_types_are_kept():
    rows = parse_body(b'{"lignes": [{"departement": "93", "nombre": "12"}]}', "application/json")
    assert rows == [{"departement": "93", "nombre": "12"}]
    for body in (b"[]", b'{"lignes": {}}', b"{", b'{"lignes": [], "x": 1}'):
        with pytest.raises(ParseError):
            parse_body(body, None)
    with pytest.raises(ParseError):
        parse_body(b'{"lignes": [{"nombre": NaN}]}', "application/json")
