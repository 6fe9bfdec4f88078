"""The corpus in tests/data/: each file gives exactly the expected rows or the expected errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.loading.checking import check_rows
from observatoire.loading.detect import open_table
from observatoire.loading.load import parse_table
from observatoire.loading.table import FileRejected, LoaderSettings

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2026, 11, 26)


def read(name: str):
    """(details, layout, rows as tuples with their file line, every issue as a tuple)."""
    table = open_table(DATA / name, LoaderSettings())
    layout, reader = parse_table(table, load_territories(), load_taxonomy())
    valid, issues = check_rows(
        reader.rows,
        reader.positions,
        territories=load_territories(),
        taxonomy=load_taxonomy(),
        settings=LoaderSettings(),
        today=TODAY,
    )
    rows = [
        (line, r["departement"], r["mois"], r["type_incident"], r["nombre"])
        for r, (line, _) in zip(reader.rows, reader.positions, strict=True)
    ]
    problems = sorted(
        ((i.ligne, i.colonne, i.champ, i.raison) for i in reader.issues + issues),
        key=lambda p: (p[0] or 0, p[1] or ""),
    )
    return table.details, layout.kind, rows, problems


CLEAN = {
    "long-utf8-bom-pointvirgule.csv": (
        {"encodage": "utf-8-sig", "séparateur": ";"},
        [
            (2, "93", "2025-03", "depot_impossible", 1234),
            (3, "93", "2025-03", "rdv_indisponible", 12),
            (4, "93", "2025-04", "rdv_indisponible", 7),
            (5, "974", "2025-04", "perte_emploi", 1002),
        ],
    ),
    "long-cp1252-pointvirgule.csv": (
        {"encodage": "cp1252", "séparateur": ";"},
        [
            (2, "13", "2025-02", "attestation_refusee", 3),
            (3, "21", "2025-02", "instruction_bloquee", 0),
            (4, "2B", "2024-12", "perte_logement", 1500),
        ],
    ),
    "long-utf8-virgule.csv": (
        {"encodage": "utf-8", "séparateur": ","},
        [
            (2, "75", "2025-01", "depot_impossible", 1234),
            (3, "2A", "2025-01", "contact_injoignable", 4),
            (5, "971", "2025-01", "api_non_delivree", 12),
        ],
    ),
    "long-tabulation.tsv": (
        {"encodage": "utf-8", "séparateur": "tabulation"},
        [
            (2, "01", "2025-03", "depot_impossible", 5),
            (3, "2A", "2025-03", "perte_prestations", 6),
            (4, "974", "2025-03", "situation_irreguliere", 7),
        ],
    ),
    "large-par-type-cp1252.csv": (
        {"encodage": "cp1252", "séparateur": ";"},
        [
            (2, "93", "2025-03", "depot_impossible", 10),
            (2, "93", "2025-03", "perte_emploi", 3),
            (3, "69", "2025-03", "depot_impossible", 0),
            (3, "69", "2025-03", "rdv_indisponible", 4),
        ],
    ),
    "large-par-mois-utf8.csv": (
        {"encodage": "utf-8", "séparateur": ";"},
        [
            (2, "93", "2025-01", "depot_impossible", 1),
            (2, "93", "2025-02", "depot_impossible", 2),
            (2, "93", "2025-03", "depot_impossible", 3),
            (3, "75", "2025-02", "instruction_bloquee", 5),
            (3, "75", "2025-03", "instruction_bloquee", 1000),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_files_give_exactly_the_expected_rows(name):
    details, _, rows, problems = read(name)
    expected_details, expected_rows = CLEAN[name]
    assert details == expected_details
    assert problems == []
    assert rows == expected_rows


def test_wide_layouts_are_recognised():
    assert read("large-par-type-cp1252.csv")[1] == "une colonne par type"
    assert read("large-par-mois-utf8.csv")[1] == "une colonne par mois"
    assert read("long-utf8-virgule.csv")[1] == "long"


def test_one_bad_row_names_its_line_and_value():
    _, _, rows, problems = read("une-ligne-fausse.csv")
    assert [r[0] for r in rows] == [2, 4]
    assert problems == [(3, None, "departement", "département inconnu « Atlantide »")]


def test_every_kind_of_error_at_its_file_line():
    _, _, _, problems = read("erreurs-variees.csv")
    by_line = {line: (field, reason) for line, _, field, reason in problems}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 9, 10]
    assert by_line[2] == (
        "departement",
        "département ambigu « Corse » : peut désigner 2A ou 2B ; indiquez le code",
    )
    assert by_line[3][0] == "nombre" and "décimal" in by_line[3][1]
    assert by_line[4][0] == "nombre" and "négatif" in by_line[4][1]
    assert by_line[5][0] == "type_incident" and "panne_generale" in by_line[5][1]
    # Range checks come from the API's own validation, placed at the file line.
    assert by_line[6] == ("mois", "mois dans le futur (dernier mois accepté : 2026-11)")
    assert "deux départements différents" in by_line[7][1]
    duplicate = "ligne en double : même département, mois et type que la ligne 8 ;"
    assert by_line[9][1].startswith(duplicate)
    assert "2A" in by_line[10][1] and "2B" in by_line[10][1]


def test_wide_errors_name_line_and_column():
    _, _, rows, problems = read("large-par-type-erreurs.csv")
    assert rows == [(2, "93", "2025-03", "depot_impossible", 1)]
    assert problems == [
        (
            2,
            "4 (« rdv_indisponible »)",
            "nombre",
            "nombre illisible « deux » : un nombre entier est attendu",
        ),
        (3, "1 (« Département »)", "departement", "département inconnu « Atlantide »"),
    ]


def test_unknown_header_is_refused_with_the_expected_layouts():
    with pytest.raises(FileRejected, match="en-tête introuvable.*dept | nb"):
        read("entete-inconnu.csv")


def test_unknown_value_column_of_a_wide_file_is_refused(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("departement;mois;depot_impossible;rdv_indispo\n93;2025-03;1;2\n")
    with pytest.raises(FileRejected, match="« rdv_indispo » \\(colonne 4\\)"):
        parse_table(open_table(path, LoaderSettings()), load_territories(), load_taxonomy())


def test_undecodable_and_empty_files_are_refused(tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileRejected, match="vide"):
        open_table(empty, LoaderSettings())
    bad = tmp_path / "binaire.csv"
    bad.write_bytes(b"departement;mois\n\x81\x8d\x8f;\x90\x9d\n")
    with pytest.raises(FileRejected, match="encodage"):
        open_table(bad, LoaderSettings())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("octet-nul.csv", "octet NUL à la ligne 3 : ce n'est probablement pas un CSV texte"),
        ("utf16-sans-bom.csv", "octet NUL à la ligne 1 : le fichier semble encodé en UTF-16"),
    ],
)
def test_a_nul_byte_is_refused_at_its_line_with_what_to_do(name, expected):
    with pytest.raises(FileRejected) as refused:
        read(name)
    assert str(refused.value).startswith(expected)
    assert str(refused.value).endswith("enregistrez le fichier en UTF-8 (CSV UTF-8) ou en XLSX")


def test_extra_long_columns_are_ignored_and_reported(tmp_path):
    path = tmp_path / "commentaire.csv"
    path.write_text(
        "departement;mois;type_incident;nombre;commentaire\n93;2025-03;depot_impossible;2;ok\n"
    )
    layout, reader = parse_table(
        open_table(path, LoaderSettings()), load_territories(), load_taxonomy()
    )
    assert layout.ignored_columns == (4,)
    assert len(reader.rows) == 1 and reader.issues == []
