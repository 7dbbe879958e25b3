"""the live floor per console session: two consoles of one employee keep their own state, a session
not used within its idle limit leaves the floor (floor_state, one row per employee, is replaced)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # presence is not kept across the change: every console signs in again
    op.drop_index("ix_floor_state_signed_in", table_name="floor_state")
    op.drop_table("floor_state")
    op.create_table(
        "floor_session",
        sa.Column("session", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("signed_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("call_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("form_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.PrimaryKeyConstraint("session"),
    )
    op.create_index("ix_floor_session_seen", "floor_session", ["seen_at"], unique=False)
    op.create_index("ix_floor_session_employee", "floor_session", ["employee_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_floor_session_employee", table_name="floor_session")
    op.drop_index("ix_floor_session_seen", table_name="floor_session")
    op.drop_table("floor_session")
    op.create_table(
        "floor_state",
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("signed_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("call_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("form_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    op.create_index("ix_floor_state_signed_in", "floor_state", ["signed_in_at"], unique=False)
