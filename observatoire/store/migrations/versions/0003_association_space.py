"""association space: declared start month, submission status, file name and reasons,
withdrawals in the cell history

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 05:00:00

- organisation.debut: the first month the association reports (`AAAA-MM`, optional): months
  before it get a warning, and its completeness calendar starts there.
- submission: `fichier` (source file name), `motif` (reason given, e.g. a correction),
  `statut` (`active` | `retiree`), `retiree_le` and `motif_retrait` (a withdrawal).
- api_key.expire_le: a key may be issued with an end date; it is then refused like a revoked one.
- revision: `action` (NULL: the submission set the value; `retrait`: a withdrawal restored the
  previous value) and `nouvelle_valeur` nullable (a withdrawn first value: the cell is again
  « not reported », never zero).
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expire_le", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("debut", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True))
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fichier", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column("motif", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(
            sa.Column(
                "statut", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="active"
            )
        )
        batch_op.add_column(sa.Column("retiree_le", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("motif_retrait", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.alter_column("nouvelle_valeur", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # A withdrawn first value has no number: such history rows cannot survive the downgrade.
    op.execute("DELETE FROM revision WHERE nouvelle_valeur IS NULL")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.alter_column("nouvelle_valeur", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("action")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): batch mode would recreate these tables,
    # which other tables' foreign keys reference.
    for column in ("motif_retrait", "retiree_le", "statut", "motif", "fichier"):
        op.drop_column("submission", column)
    op.drop_column("organisation", "debut")
    op.drop_column("api_key", "expire_le")
