"""administration: masking and read-only per role and employee, versions, the admin audit log

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

MASKS = ("mask_phone", "mask_email", "mask_country")


def upgrade() -> None:
    # plain ADD COLUMN (no table copy on SQLite: employee and role are referenced by many tables)
    for name in MASKS:
        op.add_column("role", sa.Column(name, sa.Boolean(), nullable=True))
    op.add_column("role", sa.Column("read_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("role", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    for name in MASKS:
        op.add_column("employee", sa.Column(name, sa.Boolean(), nullable=True))
    op.add_column("employee", sa.Column("read_only", sa.Boolean(), nullable=True))
    op.add_column(
        "employee", sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("employee", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("employee", sa.Column("access_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("changes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("admin_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_audit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_audit_action"), ["action"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("admin_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_audit_action"))
        batch_op.drop_index(batch_op.f("ix_admin_audit_at"))
    op.drop_table("admin_audit")
    for name in ("access_version", "version", "must_change_password", "read_only", *MASKS):
        op.drop_column("employee", name)
    for name in ("version", "read_only", *MASKS):
        op.drop_column("role", name)
