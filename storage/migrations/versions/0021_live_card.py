"""the live card: a broker desk flag, the client's live version (raised by what the platform changes)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desk") as batch:
        batch.add_column(sa.Column("broker", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("client") as batch:
        batch.add_column(sa.Column("live_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("client") as batch:
        batch.drop_column("live_version")
    with op.batch_alter_table("desk") as batch:
        batch.drop_column("broker")
