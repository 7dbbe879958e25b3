"""offices have their own time zone

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 09:00:00

An office's visiting times are its local times (Omsk is UTC+6); NULL keeps the console's zone
(settings.timezone). Named 0004 to leave 0003 to a parallel change; chain them when both land.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("timezone")
