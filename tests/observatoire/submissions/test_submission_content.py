"""The stored form of a submission's rows gives back exactly the rows, in submitted order."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire.submissions.content import decode_lines, encode_lines
from observatoire.submissions.validation import ValidColumns, ValidRow

MIGRATION = (
    Path(__file__).resolve().parents[3]
    / "observatoire/store/migrations/versions/0002_lean_submission_storage.py"
)
codes = st.text(alphabet="0129AB-_éz", min_size=1, max_size=6)
rows = st.lists(
    st.builds(ValidRow, st.integers(1, 2**31 - 1), codes, codes, codes, st.integers(0, 2**31 - 1)),
    max_size=60,
)


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@settings(max_examples=150, deadline=None)
@given(rows)
def test_rows_come_back_as_they_were_given(batch):
    blob = encode_lines(batch)
    assert decode_lines(blob) == batch
    assert encode_lines(ValidColumns.from_rows(batch)) == blob  # rows or columns: same value


@settings(max_examples=50, deadline=None)
@given(rows)
def test_the_migration_converts_lines_exactly_as_the_application_stores_them(batch):
    migration = _migration()
    as_tuples = [(r.ligne, r.departement, r.mois, r.type_incident, r.nombre) for r in batch]
    assert migration._encode(as_tuples) == encode_lines(batch)
    assert migration._decode(encode_lines(batch)) == as_tuples


def test_the_format_is_a_json_header_then_int32_columns():
    batch = [ValidRow(2, "93", "2025-01", "b", 7), ValidRow(2, "2A", "2025-01", "a", 0)]
    head, _, body = gzip.decompress(encode_lines(batch)).partition(b"\n")
    assert json.loads(head) == {
        "format": 1,
        "lignes": 2,
        "departement": ["2A", "93"],
        "mois": ["2025-01"],
        "type_incident": ["a", "b"],
    }
    assert len(body) == 5 * 2 * 4
    assert body[:8] == (2).to_bytes(4, "little") * 2


def test_an_unknown_format_is_refused():
    blob = gzip.compress(b'{"format": 2, "lignes": 0}\n')
    with pytest.raises(ValueError, match="format"):
        decode_lines(blob)


def test_values_beyond_int32_are_refused_not_wrapped():
    with pytest.raises(OverflowError):
        encode_lines([ValidRow(1, "93", "2025-01", "a", 2**31)])
