"""XLSX files: Excel dates and numbers, wide sheets, formulas, zip bombs, XML entities."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.loading import xlsx_reader
from observatoire.loading.checking import check_rows
from observatoire.loading.detect import open_table
from observatoire.loading.load import parse_table
from observatoire.loading.table import FileRejected, LoaderSettings

TODAY = date(2026, 11, 26)


def make_xlsx(path: Path, rows: list[list[object]], title: str = "Signalements") -> Path:
    """A one-sheet workbook written by openpyxl (formulas have no cached value)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one member of a zip archive in place."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    contents[member] = change(contents[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def parse(path: Path, settings: LoaderSettings | None = None):
    table = open_table(path, settings or LoaderSettings())
    layout, reader = parse_table(table, load_territories(), load_taxonomy())
    valid, issues = check_rows(
        reader.rows,
        reader.positions,
        territories=load_territories(),
        taxonomy=load_taxonomy(),
        settings=LoaderSettings(),
        today=TODAY,
    )
    return layout, reader, valid, reader.issues + issues


def test_defusedxml_is_what_openpyxl_uses():
    assert openpyxl.xml.DEFUSEDXML is True


def test_long_sheet_with_excel_dates_and_numbers_under_a_title(tmp_path):
    path = make_xlsx(
        tmp_path / "long.xlsx",
        [
            ["Signalements ANEF — Cimade Île-de-France"],
            [],
            ["Département", "Mois", "Type d'incident", "Nombre"],
            [93, datetime(2025, 3, 1), "depot_impossible", 12],
            [1, datetime(2025, 4, 1), "Rendez-vous indisponible", 3.0],
            ["2a", "mai 2025", "perte_emploi", "1 234"],
        ],
    )
    layout, reader, valid, issues = parse(path)
    assert layout.header_line == 3 and not issues
    assert [(r.departement, r.mois, r.type_incident, r.nombre) for r in valid] == [
        ("93", "2025-03", "depot_impossible", 12),
        ("01", "2025-04", "rdv_indisponible", 3),
        ("2A", "2025-05", "perte_emploi", 1234),
    ]
    assert [p[0] for p in reader.positions] == [4, 5, 6]


def test_wide_sheet_by_month_with_date_headers(tmp_path):
    path = make_xlsx(
        tmp_path / "mois.xlsx",
        [
            ["Département", "Type", datetime(2025, 1, 1), datetime(2025, 2, 1)],
            ["Seine-Saint-Denis", "depot_impossible", 4, None],
            ["Paris", "perte_logement", 2.5, 1],
        ],
    )
    _, reader, _, issues = parse(path)
    assert reader.rows == [
        {"departement": "93", "mois": "2025-01", "type_incident": "depot_impossible", "nombre": 4},
        {"departement": "75", "mois": "2025-02", "type_incident": "perte_logement", "nombre": 1},
    ]
    assert len(issues) == 1
    assert (issues[0].ligne, issues[0].colonne) == (3, "C (« 2025-01-01 00:00:00 »)")
    assert "décimal" in issues[0].raison


def test_formula_without_cached_value_is_refused_at_its_cell(tmp_path):
    path = make_xlsx(
        tmp_path / "formule.xlsx",
        [
            ["departement", "mois", "type_incident", "nombre"],
            ["93", "2025-03", "depot_impossible", "=2+3"],
        ],
    )
    _, _, valid, issues = parse(path)
    assert valid == []
    assert [(i.ligne, i.champ) for i in issues] == [(2, "nombre")]
    assert "formule sans valeur calculée" in issues[0].raison


def test_formula_with_cached_value_uses_the_value_excel_computed(tmp_path):
    path = make_xlsx(
        tmp_path / "formule.xlsx",
        [
            ["departement", "mois", "type_incident", "nombre"],
            ["93", "2025-03", "depot_impossible", "=2+3"],
        ],
    )
    # What Excel writes: the formula and its last computed value.
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<f>2\+3</f><v\s*/?>(</v>)?", b"<f>2+3</f><v>5</v>", xml),
    )
    _, _, valid, issues = parse(path)
    assert not issues
    assert [r.nombre for r in valid] == [5]


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    path = make_xlsx(tmp_path / "bombe.xlsx", [["departement", "mois", "type_incident", "nombre"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b"<a/>" + b" " * 5_000_000)
    assert path.stat().st_size < 30_000
    parsed = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: parsed.append(a))
    with pytest.raises(FileRejected, match="compressé"):
        open_table(path, LoaderSettings())
    assert parsed == []


def test_uncompressed_and_file_size_caps(tmp_path):
    path = make_xlsx(tmp_path / "gros.xlsx", [["departement", "mois", "type_incident", "nombre"]])
    with pytest.raises(FileRejected, match="décompressée"):
        open_table(path, LoaderSettings(loader_xlsx_max_uncompressed_bytes=2_000))
    with pytest.raises(FileRejected, match="trop volumineux"):
        open_table(path, LoaderSettings(loader_max_file_bytes=1_000))


def test_xml_entities_are_refused(tmp_path):
    path = make_xlsx(
        tmp_path / "entites.xlsx",
        [["departement", "mois", "type_incident", "nombre"], ["93", "2025-03", "x", 1]],
    )
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: dtd + xml)
    with pytest.raises(FileRejected, match="illisible"):
        parse(path)


def test_xlsx_needs_defusedxml(tmp_path, monkeypatch):
    path = make_xlsx(tmp_path / "a.xlsx", [["departement", "mois", "type_incident", "nombre"]])
    monkeypatch.setattr(xlsx_reader.openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(FileRejected, match="defusedxml"):
        open_table(path, LoaderSettings())


def test_legacy_xls_and_garbage_are_refused(tmp_path):
    xls = tmp_path / "vieux.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(FileRejected, match=r"\.xls"):
        open_table(xls, LoaderSettings())
    fake = tmp_path / "faux.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileRejected, match="illisible"):
        open_table(fake, LoaderSettings())
