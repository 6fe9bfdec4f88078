"""publication plan: the tables a publication publishes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:30:00

- publication.plan_publication: `nom/version` of the publication plan
  (observatoire/publication/plan.py) the publication was protected with. Publications stored
  before plans published every table: they get `complet/1`.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "plan_publication",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default="complet/1",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_column("plan_publication")
