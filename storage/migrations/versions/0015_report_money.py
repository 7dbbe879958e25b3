"""report money: the bonus flag of money requests and trades; indexes of the money reports

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("money_request", "trade"):
        op.add_column(table, sa.Column("bonus", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("money_request", schema=None) as batch_op:
        batch_op.create_index("ix_money_request_decided", ["status", "decided_at"], unique=False)
        batch_op.create_index("ix_money_request_first", ["client_id", "kind", "status", "decided_at"], unique=False)
    with op.batch_alter_table("trade", schema=None) as batch_op:
        batch_op.create_index("ix_trade_opened", ["opened_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trade", schema=None) as batch_op:
        batch_op.drop_index("ix_trade_opened")
    with op.batch_alter_table("money_request", schema=None) as batch_op:
        batch_op.drop_index("ix_money_request_first")
        batch_op.drop_index("ix_money_request_decided")
    for table in ("trade", "money_request"):
        op.drop_column(table, "bonus")
