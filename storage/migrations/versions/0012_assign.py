"""assign: the desks' assignment rules, the managers' regions, clients by responsible

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assign_rule",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("roles", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("by_region", sa.Boolean(), nullable=False),
        sa.Column("last_employee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"]),
        sa.ForeignKeyConstraint(["last_employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("desk_id"),
    )
    op.create_table(
        "employee_region",
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.PrimaryKeyConstraint("employee_id", "region_id"),
    )
    # the managers' load (least loaded) counts on ix_client_responsible_id, made by 0009


def downgrade() -> None:
    op.drop_table("employee_region")
    op.drop_table("assign_rule")
