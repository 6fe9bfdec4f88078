"""The bulk store (large files) writes what `store_submission` writes, on both backends."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.submissions import bulk_postgres
from observatoire.submissions.bulk import bulk_store_submission
from observatoire.submissions.store import store_submission
from observatoire.submissions.validation import ValidColumns, ValidRow
from tests.support.factories import make_org
from tests.support.races import plans_meet, run_together
from tests.support.stored import stored_lines

TABLES = ("submission", "submission_content", "current_count", "revision")
CELLS = [
    (dep, mois, kind)
    for dep in ("93", "2A", "974")
    for mois in ("2025-01", "2025-02")
    for kind in sorted(load_taxonomy().type_codes)[:4]
]


def random_batches(seed: int) -> list[list[ValidRow]]:
    """Overlapping batches: new, changed and unchanged cells, lines not always in order."""
    rng = random.Random(seed)
    batches = []
    for _ in range(4):
        cells = rng.sample(CELLS, rng.randint(1, len(CELLS)))
        lines = list(range(1, len(cells) + 1))
        if rng.random() < 0.5:
            rng.shuffle(lines)
        batches.append([ValidRow(n, *cell, rng.choice([0, 1, 2])) for n, cell in zip(lines, cells)])
    return batches


def stored(engine, organisation_id: int) -> dict[str, list[tuple]]:
    """Everything an organisation's batches wrote, ids and times left out but in id order."""
    queries = {
        "submissions": "SELECT lignes, creees, modifiees, inchangees, source, key_prefix "
        "FROM submission WHERE organisation_id = :o ORDER BY id",
        "current": "SELECT departement, mois, type_incident, nombre FROM current_count "
        "WHERE organisation_id = :o ORDER BY id",
        "revisions": "SELECT departement, mois, type_incident, ancienne_valeur, "
        "nouvelle_valeur, key_prefix FROM revision WHERE organisation_id = :o ORDER BY id",
        # One timestamp per batch, the submission's, on every row it wrote.
        "other_times": "SELECT count(*) FROM revision r JOIN submission s "
        "ON s.id = r.submission_id WHERE r.organisation_id = :o AND r.cree_le <> s.recue_le",
    }
    with engine.connect() as conn:
        found = {
            name: [tuple(row) for row in conn.execute(text(sql), {"o": organisation_id})]
            for name, sql in queries.items()
        }
    found["lines"] = [line[1:] for line in stored_lines(engine, organisation_id)]
    return found


def counted(summary) -> tuple[int, ...]:
    return (summary.lignes, summary.creees, summary.modifiees, summary.inchangees)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bulk_store_writes_what_store_submission_writes(engine, seed):
    by_row, in_bulk = make_org(engine), make_org(engine)
    shares = []
    for i, batch in enumerate(random_batches(seed)):
        expected = store_submission(engine, by_row.id, "k1", batch, source="fichier")
        rows = ValidColumns.from_rows(batch) if i % 2 else batch
        dry = bulk_store_submission(engine, in_bulk.id, "k1", rows, dry_run=True)
        got = bulk_store_submission(engine, in_bulk.id, "k1", rows, progress=shares.append)
        assert counted(got) == counted(dry) == counted(expected)
        assert shares[0] == 0 and shares[-1] == len(batch) and shares == sorted(shares)
        shares.clear()
    assert stored(engine, in_bulk.id) == stored(engine, by_row.id)
    assert stored(engine, in_bulk.id)["other_times"] == [(0,)]


def test_an_unknown_organisation_is_refused_and_nothing_is_written(engine):
    batch = [ValidRow(1, "93", "2025-01", sorted(load_taxonomy().type_codes)[0], 3)]
    with pytest.raises(IntegrityError):
        bulk_store_submission(engine, 999_999, None, batch)
    assert counts(engine) == dict.fromkeys(TABLES, 0)


# The checks of foreign keys that the bulk path may skip exist on PostgreSQL only.
postgresql_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def pg_engine(engine):
    assert engine.dialect.name == "postgresql"
    return engine


def skips_triggers(engine, organisation_id: int, *setup: str) -> bool:
    with Session(engine) as session:
        for statement in setup:
            session.execute(text(statement))
        skipped = bulk_postgres.skip_foreign_key_triggers(session, organisation_id)
        session.execute(text("SELECT 1"))  # the transaction is still usable
        session.rollback()
    return skipped


@postgresql_only
def test_foreign_key_triggers_are_skipped_only_when_the_checks_are_equivalent(pg_engine):
    org = make_org(pg_engine)
    assert skips_triggers(pg_engine, org.id)
    assert not skips_triggers(pg_engine, 999_999)  # no organisation: the triggers must report it
    role = f"obs_sans_droit_{uuid.uuid4().hex[:8]}"
    with pg_engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}"'))
    try:
        assert not skips_triggers(pg_engine, org.id, f'SET LOCAL ROLE "{role}"')
    finally:
        with pg_engine.begin() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
    # A foreign key the batch-level check does not cover.
    assert not skips_triggers(
        pg_engine,
        org.id,
        "ALTER TABLE revision ADD FOREIGN KEY (key_prefix) REFERENCES api_key (prefix)",
    )


@postgresql_only
def test_a_trigger_of_our_own_keeps_every_trigger_on(pg_engine):
    org = make_org(pg_engine)
    with pg_engine.begin() as conn:
        conn.execute(text("CREATE TABLE audit (n integer)"))
        conn.execute(
            text(
                "CREATE FUNCTION audit_revision() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO audit VALUES (NEW.nouvelle_valeur); RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER audit_revision AFTER INSERT ON revision "
                "FOR EACH ROW EXECUTE FUNCTION audit_revision()"
            )
        )
    assert not skips_triggers(pg_engine, org.id)
    batch = random_batches(7)[0]
    bulk_store_submission(pg_engine, org.id, None, batch)
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit")).scalar_one() == len(batch)


@postgresql_only
def test_batches_creating_the_same_cells_at_once_are_retried_not_failed(pg_engine, monkeypatch):
    """Both batches find the cells absent; the second COPY into current_count then waits for
    the first to commit and fails on the unique constraint: the driver's error must reach the
    retry loop as SQLAlchemy's, and the retried batch find the cells unchanged. Progress counts
    the rows stored by the current attempt: back to 0 on the retry, never above the batch."""
    org = make_org(pg_engine)
    batch = [ValidRow(i + 1, *cell, i % 3) for i, cell in enumerate(CELLS)]
    first_plans = plans_meet(monkeypatch)
    shown: dict[tuple[int, ...], list[int]] = {}

    def store() -> tuple[int, ...]:
        progress: list[int] = []
        summary = counted(
            bulk_store_submission(pg_engine, org.id, None, batch, progress=progress.append)
        )
        shown[summary] = progress
        return summary

    results = run_together(store)
    assert all(len(p.created) == len(batch) for p in first_plans)
    assert sorted(results) == [(len(batch), 0, 0, len(batch)), (len(batch), len(batch), 0, 0)]
    assert counts(pg_engine)["current_count"] == len(batch)
    first, retried = shown[(len(batch), len(batch), 0, 0)], shown[(len(batch), 0, 0, len(batch))]
    assert first == sorted(first) and first[-1] == len(batch)
    assert max(retried) <= len(batch) and retried[-1] == len(batch)
    assert retried.count(0) == 2  # each attempt started from nothing stored
