"""The vectorised validation of large batches agrees with the row-by-row one."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.settings import Settings
from observatoire.submissions import cells as cells_module
from observatoire.submissions.cells import cell_order, code_cells, has_duplicate_cells
from observatoire.submissions.validation import (
    COLUMNS,
    ValidColumns,
    ValidRow,
    validate_columns,
    validate_rows,
)

TODAY = date(2025, 6, 15)
SETTINGS = Settings(environment="test", submission_max_rows=40)
DEPARTEMENTS = ["93", "2A", "974", "01"]
TYPES = sorted(load_taxonomy().type_codes)[:3]
MONTHS = ["2025-01", "2025-06"]
# Valid values, and the faults `validate_rows` names (wrong type, empty, unknown, out of range).
VALUES = {
    "departement": st.sampled_from(DEPARTEMENTS) | st.sampled_from(["1", "20", "", "2a", 93, None]),
    "mois": st.sampled_from(MONTHS) | st.sampled_from(["2025-07", "2019-12", "2025-3", "", 2025]),
    "type_incident": st.sampled_from(TYPES) | st.sampled_from(["inconnu", "", 1]),
    "nombre": st.integers(0, 50) | st.sampled_from([-1, 1_000_001, True, False, 1.0, "3", None]),
}


def both(columns: dict[str, list]):
    rows = [dict(zip(COLUMNS, values, strict=True)) for values in zip(*columns.values())]
    kwargs = {
        "territories": load_territories(),
        "taxonomy": load_taxonomy(),
        "settings": SETTINGS,
        "today": TODAY,
    }
    return validate_columns(columns, **kwargs), validate_rows(rows, **kwargs)


def exact_types(columns: dict[str, list]) -> bool:
    return all(
        type(v) is (int if name == "nombre" else str)
        for name, values in columns.items()
        for v in values
    )


@st.composite
def batches(draw) -> dict[str, list]:
    """Mostly-valid batches: distinct cells, then a few values replaced by faults."""
    cells = draw(
        st.lists(
            st.tuples(*(st.sampled_from(v) for v in (DEPARTEMENTS, MONTHS, TYPES))),
            unique=True,
            max_size=24,
        )
    )
    columns = {
        "departement": [c[0] for c in cells],
        "mois": [c[1] for c in cells],
        "type_incident": [c[2] for c in cells],
        "nombre": draw(st.lists(st.integers(0, 50), min_size=len(cells), max_size=len(cells))),
    }
    for _ in range(draw(st.integers(0, 3))):
        if cells:
            name = draw(st.sampled_from(COLUMNS))
            columns[name][draw(st.integers(0, len(cells) - 1))] = draw(VALUES[name])
    return columns


@settings(max_examples=300, deadline=None)
@given(batches())
def test_fast_path_accepts_exactly_what_validate_rows_accepts(columns):
    fast, slow = both(columns)
    event("accepted" if fast is not None else "declined")
    if fast is not None:
        assert slow.ok
        assert fast.rows() == slow.rows
    else:
        # Declined: a fault (reported by validate_rows), or a value not of the exact type.
        assert not slow.ok or not exact_types(columns)


def test_a_clean_batch_gives_the_same_rows_as_validate_rows():
    cells = [(d, m, t) for d in DEPARTEMENTS for m in MONTHS for t in TYPES]
    random.Random(3).shuffle(cells)
    columns = {
        "departement": [c[0] for c in cells],
        "mois": [c[1] for c in cells],
        "type_incident": [c[2] for c in cells],
        "nombre": list(range(len(cells))),
    }
    fast, slow = both(columns)
    assert slow.ok and fast is not None
    assert fast.rows() == slow.rows
    assert fast.ligne == list(range(2, len(cells) + 2))


def test_each_kind_of_fault_sends_the_batch_to_the_detailed_path():
    clean = {
        "departement": ["93", "2A"],
        "mois": ["2025-01", "2025-01"],
        "type_incident": [TYPES[0], TYPES[0]],
        "nombre": [1, 2],
    }
    assert both(clean)[0] is not None
    for name, bad in [
        ("departement", "93"),  # duplicate cell
        ("departement", "1"),
        ("mois", "2025-07"),
        ("type_incident", "inconnu"),
        ("nombre", True),
        ("nombre", 1_000_001),
        ("nombre", ""),
    ]:
        columns = {k: list(v) for k, v in clean.items()}
        columns[name][1] = bad
        fast, slow = both(columns)
        assert fast is None and not slow.ok, (name, bad)
    assert both({name: [] for name in COLUMNS})[0] is None
    too_many = {name: values * 21 for name, values in clean.items()}
    assert both(too_many)[0] is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(*[st.text(alphabet="012Aa_-é", max_size=3)] * 3), max_size=40),
    st.booleans(),
)
def test_cell_order_and_duplicates_follow_python_tuples(cells, without_int64_keys):
    # Also without the int64 cell numbers (too many distinct values to fit): tuples of ranks.
    limit = 1 if without_int64_keys else cells_module._INT64_MAX
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cells_module, "_INT64_MAX", limit)
        coded = code_cells(*([c[i] for c in cells] for i in range(3)))
        assert cell_order(coded) == sorted(range(len(cells)), key=cells.__getitem__)
        assert has_duplicate_cells(coded) == (len(set(cells)) < len(cells))


def test_columns_and_rows_convert_both_ways():
    rows = [ValidRow(2, "93", "2025-01", TYPES[0], 4), ValidRow(1, "2A", "2025-02", TYPES[1], 0)]
    columns = ValidColumns.from_rows(rows)
    assert len(columns) == 2 and columns.ligne == [2, 1]
    assert columns.rows() == rows
