"""administration: a version on desks and regions, so that an edit of their time zone made
meanwhile answers 409

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("desk", "region"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("desk", "region"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
