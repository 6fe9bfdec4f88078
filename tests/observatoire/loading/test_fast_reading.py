"""Reading and checking a file column by column gives what the line-by-line path gives."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

import observatoire.loading.load as loading
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.loading import csv_reader
from observatoire.loading.checking import check_columns, check_rows
from observatoire.loading.detect import open_table
from observatoire.loading.load import parse_table
from observatoire.loading.table import FileRejected, LoaderSettings, TextBlock
from observatoire.loading.wide import RecordReader

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2026, 11, 26)
SETTINGS = LoaderSettings(environment="test", submission_start_month="2020-01")
CHOICES = {
    "departement": (
        ["93", "2A", "974", "01", "75", "13"],
        [
            " 93 ",
            "2a",
            "1",
            "Seine-Saint-Denis",
            "93 - Seine-Saint-Denis",
            "Atlantide",
            "",
            "20",
            "Corse",
            "Total",
        ],
    ),
    "mois": (
        ["2025-03", "2025-04", "2024-12"],
        ["03/2025", "mars 2025", "2025-13", "", "2027-01", "2019-01", "2025-03-01"],
    ),
    "type_incident": (
        ["depot_impossible", "rdv_indisponible", "perte_emploi"],
        ["Dépôt impossible", "inconnu", "", " perte_emploi "],
    ),
    "nombre": (["0", "7", "12", "1 234", "2500"], ["1\u00a0234", "-3", "1,5", "deux", "", "01"]),
}


def everything(path: Path, *, fast: bool = True) -> tuple:
    """What the loader reads and checks in `path`: rows, places, issues, accepted rows."""
    try:
        table = open_table(path, SETTINGS)
        layout, reader = parse_table(table, load_territories(), load_taxonomy())
    except FileRejected as exc:
        return ("refusé", str(exc))
    common = {"territories": load_territories(), "taxonomy": load_taxonomy(), "today": TODAY}
    if fast:
        columns, issues = check_columns(reader, settings=SETTINGS, **common)
        valid = columns.rows()
    else:
        valid, issues = check_rows(reader.rows, reader.positions, settings=SETTINGS, **common)
    read = (layout, reader.lines, reader.totals_skipped, reader.rows, reader.positions)
    return read, reader.issues, valid, issues


def both_paths(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple]:
    """(vectorised where possible, line by line throughout: csv module, one list per line)."""
    fast = everything(path)
    with monkeypatch.context() as patch:
        patch.setattr(csv_reader, "plain_lines", lambda text, dialect: None)
        patch.setattr(RecordReader, "_read_clean_block", lambda self, lines, records: False)
        slow = everything(path, fast=False)
    return fast, slow


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir()))
def test_the_corpus_reads_alike_on_both_paths(name, monkeypatch):
    monkeypatch.setattr(loading, "BLOCK_LINES", 2)
    fast, slow = both_paths(DATA / name, monkeypatch)
    assert fast == slow


def random_file(path: Path, seed: int) -> None:
    """A long-layout CSV: mostly clean lines, with faults, totals and odd lines here and there."""
    rng = random.Random(seed)
    fault_rate = rng.choice([0.0, 0.0, 0.01, 0.05, 0.2])
    separator = rng.choice([";", ",", "\t"])
    lines = [separator.join(["Département", "Mois", "Type d'incident", "Nombre"])]
    for _ in range(rng.randint(1, 60)):
        shape = rng.random()
        if shape < fault_rate / 4:
            lines.append(rng.choice(["", separator * 3, "93", separator.join("abcde")]))
            continue
        cells = []
        for name in ("departement", "mois", "type_incident", "nombre"):
            good, bad = CHOICES[name]
            cells.append(rng.choice(bad if rng.random() < fault_rate else good))
        if separator == "," and "," in cells[3]:
            cells[3] = f'"{cells[3]}"'
        lines.append(separator.join(cells))
    if rng.random() < 0.3:  # a title and a blank line above the header
        lines[:0] = [separator.join(["Signalements", "", "", ""]), ""]
    end = rng.choice(["\n", "\r\n"])
    path.write_text(end.join(lines) + rng.choice([end, ""]), encoding="utf-8", newline="")


@pytest.mark.parametrize("seed", range(40))
def test_random_files_read_alike_on_both_paths(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "BLOCK_LINES", random.Random(seed).choice([1, 3, 7, 20_000]))
    path = tmp_path / "lot.csv"
    random_file(path, seed)
    fast, slow = both_paths(path, monkeypatch)
    assert fast == slow


def test_a_clean_file_takes_the_fast_path(tmp_path, monkeypatch):
    path = tmp_path / "propre.csv"
    path.write_text(
        "departement;mois;type_incident;nombre\n93;2025-03;depot_impossible;1 234\nTotal;;;1234\n",
        encoding="utf-8",
    )
    calls = []
    monkeypatch.setattr(RecordReader, "read_line", lambda *args: calls.append(args))
    (layout, lines, totals, rows, places), issues, valid, problems = everything(path)
    assert calls == [] and issues == [] and problems == []
    assert (lines, totals, places) == (2, 1, [(2, None)])
    assert [tuple(r.values()) for r in rows] == [("93", "2025-03", "depot_impossible", 1234)]


def test_a_plain_csv_file_is_split_column_by_column(tmp_path, monkeypatch):
    """No quote anywhere: after the header, clean blocks never become one list per line."""
    path = tmp_path / "simple.csv"
    lines = ["Signalements 2025;;;", "", "departement;mois;type_incident;nombre"]
    lines += [f"93;2025-0{m};depot_impossible;{m}" for m in range(1, 8)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    assert open_table(path, SETTINGS).blocks is not None
    monkeypatch.setattr(loading, "BLOCK_LINES", 3)
    monkeypatch.setattr(TextBlock, "records", lambda self: pytest.fail("line by line"))
    fast = everything(path)
    monkeypatch.undo()
    assert fast == both_paths(path, monkeypatch)[1]
    (_, read, _, rows, places), *_ = fast
    assert read == 7 and places == [(line, None) for line in range(4, 11)]
    assert [row["nombre"] for row in rows] == list(range(1, 8))


@pytest.mark.parametrize(
    "text",
    [
        'departement;mois;type_incident;nombre\n"93";2025-03;depot_impossible;1\n',
        "departement;mois;type_incident;nombre\r93;2025-03;depot_impossible;1\r",
    ],
)
def test_quotes_and_lone_carriage_returns_keep_the_csv_module(text, tmp_path, monkeypatch):
    path = tmp_path / "lot.csv"
    path.write_bytes(text.encode())
    assert open_table(path, SETTINGS).blocks is None
    fast, slow = both_paths(path, monkeypatch)
    assert fast == slow
