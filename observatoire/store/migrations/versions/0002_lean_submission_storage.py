"""leaner storage of submissions: lines in one value per submission, fewer indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:30:00

Every submitted row was written three times (submission_line, current_count, revision), and
once more into each of their eight indexes: loading a 1,000,000-row file spent most of the
server's time there. Now:

- submission_line (one row per line, two indexes) becomes submission_content: one gzip value
  per submission (format 1 of `observatoire.submissions.content`, reproduced below so that this
  migration keeps working if that module changes). Lines are only ever read back whole.
- current_count: `ix_current_count_cover` dropped. It only sped up the daily publication's two
  reads (one month's cells, the first and last month with data), now a scan of the table
  (≈ 0.2-0.5 s at 1,000,000 cells). The unique constraint stays (lookups, locks, ON CONFLICT);
  on PostgreSQL its three code columns compare byte by byte (collation "C", SQLite's BINARY):
  the cell order in which every writer locks and inserts, at memcmp cost instead of strcoll.
- revision: `ix_revision_cell` dropped (no query looks a cell's history up by index);
  `ix_revision_submission_id` becomes BRIN on PostgreSQL (a B-tree on SQLite).
"""

import gzip
import json

from alembic import op
import numpy as np
import sqlalchemy as sa
import sqlmodel


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CODE_COLUMNS = (("departement", 3), ("mois", 7), ("type_incident", 40))
TEXT_COLUMNS = ("departement", "mois", "type_incident")
INT32 = np.dtype("<i4")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _encode(rows: list[tuple]) -> bytes:
    """Format 1 of submission_content.contenu; `rows` are (ligne, dep, mois, type, nombre)."""
    size = len(rows)
    columns = list(zip(*rows)) if rows else [()] * 5
    header: dict = {"format": 1, "lignes": size}
    arrays = [np.asarray(columns[0], dtype=INT32)]
    for name, values in zip(TEXT_COLUMNS, columns[1:4]):
        distinct = sorted(set(values))
        rank = {value: i for i, value in enumerate(distinct)}
        header[name] = distinct
        arrays.append(np.asarray([rank[v] for v in values], dtype=INT32))
    arrays.append(np.asarray(columns[4], dtype=INT32))
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    body = np.concatenate(arrays).tobytes() if size else b""
    return gzip.compress(head + b"\n" + body, compresslevel=1, mtime=0)


def _decode(blob: bytes) -> list[tuple]:
    head, _, body = gzip.decompress(blob).partition(b"\n")
    header = json.loads(head)
    assert header["format"] == 1, header["format"]
    columns = np.frombuffer(body, dtype=INT32).reshape(5, header["lignes"]).tolist()
    texts = [[header[name][i] for i in columns[k + 1]] for k, name in enumerate(TEXT_COLUMNS)]
    return list(zip(columns[0], *texts, columns[4]))


def _lines_table() -> sa.TableClause:
    return sa.table(
        "submission_line",
        sa.column("id", sa.Integer),
        sa.column("submission_id", sa.Integer),
        sa.column("ligne", sa.Integer),
        sa.column("departement", sa.String),
        sa.column("mois", sa.String),
        sa.column("type_incident", sa.String),
        sa.column("nombre", sa.Integer),
    )


def _content_table() -> sa.TableClause:
    return sa.table(
        "submission_content",
        sa.column("submission_id", sa.Integer),
        sa.column("contenu", sa.LargeBinary),
    )


def _submission_ids() -> list[int]:
    return list(op.get_bind().execute(sa.text("SELECT id FROM submission ORDER BY id")).scalars())


def upgrade() -> None:
    op.create_table(
        "submission_content",
        sa.Column("submission_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contenu", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.PrimaryKeyConstraint("submission_id"),
    )
    bind, lines, content = op.get_bind(), _lines_table(), _content_table()
    for submission_id in _submission_ids():  # one submission in memory at a time
        rows = bind.execute(
            sa.select(
                lines.c.ligne, lines.c.departement, lines.c.mois, lines.c.type_incident, lines.c.nombre
            )
            .where(lines.c.submission_id == submission_id)
            .order_by(lines.c.id)
        ).all()
        if rows:
            bind.execute(
                content.insert().values(
                    submission_id=submission_id, contenu=_encode([tuple(r) for r in rows])
                )
            )
    with op.batch_alter_table("submission_line", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_line_submission")
    op.drop_table("submission_line")

    op.drop_index("ix_current_count_cover", table_name="current_count")
    op.drop_index("ix_revision_cell", table_name="revision")
    op.drop_index("ix_revision_submission_id", table_name="revision")
    op.create_index(
        "ix_revision_submission_id",
        "revision",
        ["submission_id"],
        postgresql_using="brin",
        postgresql_with={"autosummarize": "on"},
    )
    if _postgresql():  # SQLite compares text byte by byte already
        for column, length in CODE_COLUMNS:
            op.alter_column(
                "current_count",
                column,
                type_=sa.String(length, collation="C"),
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=length),
                existing_nullable=False,
            )


def downgrade() -> None:
    if _postgresql():
        for column, length in CODE_COLUMNS:
            op.alter_column(
                "current_count",
                column,
                type_=sqlmodel.sql.sqltypes.AutoString(length=length),
                existing_type=sa.String(length, collation="C"),
                existing_nullable=False,
            )
    op.drop_index("ix_revision_submission_id", table_name="revision")
    op.create_index("ix_revision_submission_id", "revision", ["submission_id"])
    op.create_index(
        "ix_revision_cell", "revision", ["organisation_id", "departement", "mois", "type_incident"]
    )
    op.create_index(
        "ix_current_count_cover", "current_count", ["mois", "departement", "type_incident", "nombre"]
    )

    op.create_table(
        "submission_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("ligne", sa.Integer(), nullable=False),
        sa.Column("departement", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("mois", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("type_incident", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("nombre", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("submission_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submission_line_submission", ["submission_id", "ligne"], unique=False
        )
    bind, lines, content = op.get_bind(), _lines_table(), _content_table()
    for submission_id in _submission_ids():
        blob = bind.execute(
            sa.select(content.c.contenu).where(content.c.submission_id == submission_id)
        ).scalar_one_or_none()
        if blob is None:
            continue
        rows = _decode(blob)
        bind.execute(
            lines.insert(),
            [
                {
                    "submission_id": submission_id,
                    "ligne": ligne,
                    "departement": dep,
                    "mois": mois,
                    "type_incident": kind,
                    "nombre": nombre,
                }
                for ligne, dep, mois, kind, nombre in rows
            ],
        )
    op.drop_table("submission_content")
