"""The transactional store of submissions, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import time

from sqlalchemy import func, select
from sqlmodel import Session

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.store.models import CurrentCount, Revision, Submission
from observatoire.submissions.queries import get_submission, list_submissions
from observatoire.submissions.store import store_submission
from observatoire.submissions.validation import ValidRow, validate_rows
from tests.support.factories import make_org, make_rows
from tests.support.stored import stored_lines


def valid(rows, settings):
    result = validate_rows(
        rows, territories=load_territories(), taxonomy=load_taxonomy(), settings=settings
    )
    assert result.ok, result.errors
    return result.rows


def current_values(engine, organisation_id=None):
    query = select(CurrentCount)
    if organisation_id is not None:
        query = query.where(CurrentCount.organisation_id == organisation_id)
    with Session(engine) as session:
        return {
            (c.organisation_id, c.departement, c.mois, c.type_incident): c.nombre
            for c in session.execute(query).scalars()
        }


def replay_revisions(engine):
    """Apply every revision in order: the result must equal the current values."""
    values: dict = {}
    with Session(engine) as session:
        for rev in session.execute(select(Revision).order_by(Revision.id)).scalars():
            cell = (rev.organisation_id, rev.departement, rev.mois, rev.type_incident)
            assert values.get(cell) == rev.ancienne_valeur, f"broken chain at {cell}"
            values[cell] = rev.nouvelle_valeur
    return values


def count(engine, model):
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_create_then_correct_then_unchanged(engine, settings):
    org = make_org(engine)
    first = store_submission(engine, org.id, "pfx", valid(make_rows(3), settings))
    assert (first.lignes, first.creees, first.modifiees, first.inchangees) == (3, 3, 0, 0)

    rows = make_rows(3)
    rows[0]["nombre"] = 0  # a correction to zero is a change
    rows[1]["nombre"] = 9
    second = store_submission(engine, org.id, "pfx", valid(rows, settings), source="fichier")
    assert (second.creees, second.modifiees, second.inchangees) == (0, 2, 1)

    assert count(engine, Revision) == 5  # 3 creations + 2 changes, none for the unchanged row
    with Session(engine) as session:
        changes = session.execute(
            select(Revision.ancienne_valeur, Revision.nouvelle_valeur, Revision.submission_id)
            .where(Revision.submission_id == second.id)
            .order_by(Revision.id)
        ).all()
        stored = session.get(Submission, second.id)
    assert sorted(changes) == [(5, 0, second.id), (5, 9, second.id)]
    assert (stored.source, stored.key_prefix, stored.modifiees) == ("fichier", "pfx", 2)
    assert replay_revisions(engine) == current_values(engine)


def test_dry_run_counts_but_writes_nothing(engine, settings):
    org = make_org(engine)
    store_submission(engine, org.id, "pfx", valid(make_rows(2), settings))
    before = (count(engine, Submission), len(stored_lines(engine)), count(engine, Revision))
    rows = make_rows(3)
    rows[0]["nombre"] = 7
    summary = store_submission(engine, org.id, "pfx", valid(rows, settings), dry_run=True)
    assert summary.id is None
    assert (summary.creees, summary.modifiees, summary.inchangees) == (1, 1, 1)
    after = (count(engine, Submission), len(stored_lines(engine)), count(engine, Revision))
    assert after == before


def test_organisations_are_separate_cells(engine, settings):
    a, b = make_org(engine), make_org(engine)
    store_submission(engine, a.id, "a", valid(make_rows(2, nombre=1), settings))
    summary = store_submission(engine, b.id, "b", valid(make_rows(2, nombre=2), settings))
    assert summary.creees == 2
    assert set(current_values(engine, a.id).values()) == {1}
    assert set(current_values(engine, b.id).values()) == {2}


def test_replaying_revisions_reproduces_current_values(engine, settings):
    rng = random.Random(7)
    orgs = [make_org(engine) for _ in range(2)]
    for _ in range(12):
        org = rng.choice(orgs)
        rows = make_rows(60, start=rng.randrange(0, 40))
        for row in rows:
            row["nombre"] = rng.choice([0, 1, 2, 3, 50])
        store_submission(engine, org.id, "pfx", valid(rows, settings))
    assert replay_revisions(engine) == current_values(engine)


def test_ten_thousand_rows_in_one_batch(engine, settings):
    org = make_org(engine)
    rows = valid(make_rows(10_000, months=tuple(f"2024-{m:02d}" for m in range(1, 7))), settings)
    started = time.perf_counter()
    summary = store_submission(engine, org.id, "pfx", rows)
    elapsed = time.perf_counter() - started
    assert summary.creees == 10_000
    again = store_submission(engine, org.id, "pfx", rows)
    assert again.inchangees == 10_000
    assert count(engine, CurrentCount) == 10_000
    assert len(stored_lines(engine)) == 20_000
    assert elapsed < 30, f"10,000 rows took {elapsed:.1f} s"


def test_list_and_get_own_submissions_only(engine, settings):
    a, b = make_org(engine), make_org(engine)
    ids = [store_submission(engine, a.id, "a", valid(make_rows(2), settings)).id for _ in range(3)]
    other = store_submission(engine, b.id, "b", valid(make_rows(1), settings)).id
    page, total = list_submissions(engine, a.id, offset=0, limit=2)
    assert total == 3 and [r.id for r in page] == ids[::-1][:2]
    record, rows = get_submission(engine, a.id, ids[0])
    assert record.lignes == 2
    assert rows == [ValidRow(**{"ligne": i + 2, **r}) for i, r in enumerate(make_rows(2))]
    assert get_submission(engine, a.id, other) is None
