"""trust: auth versions, attempt counters, audit log, code SMS link, C9 for supervisors

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RECOMMENDATION = "enter_recommendation"


def upgrade() -> None:
    op.add_column("employee", sa.Column("auth_version", sa.Integer(), nullable=False, server_default="0"))
    # The per-account lock is replaced by core.access.throttle's counters (attempt_counter).
    op.drop_column("employee", "failed_attempts")
    op.drop_column("employee", "locked_until")
    op.add_column("api_token", sa.Column("auth_version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("auth_challenge", sa.Column("sms_id", sa.Integer(), nullable=True))
    op.create_table(
        "attempt_counter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"], unique=False)
    # C9: entering a recommendation is for office staff; the supervisor role had it by mistake.
    role = sa.table("role", sa.column("code", sa.String), sa.column("permissions", sa.String))
    conn = op.get_bind()
    row = conn.execute(sa.select(role.c.permissions).where(role.c.code == "supervisor")).first()
    if row is not None:
        kept = ",".join(p for p in row.permissions.split(",") if p and p != RECOMMENDATION)
        conn.execute(sa.update(role).where(role.c.code == "supervisor").values(permissions=kept))


def downgrade() -> None:
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("attempt_counter")
    op.drop_column("auth_challenge", "sms_id")
    op.drop_column("api_token", "auth_version")
    op.add_column("employee", sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column("employee", sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.drop_column("employee", "auth_version")
