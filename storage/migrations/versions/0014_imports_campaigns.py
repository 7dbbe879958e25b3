"""imports and campaigns: import jobs and lines, per-campaign settings, script versions, permissions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

NEW_PERMISSIONS = ("import_clients", "manage_campaigns")
ROLES = ("admin", "supervisor")


def _permissions(text: str, add: bool) -> str:
    names = {p for p in (s.strip() for s in text.split(",")) if p}
    names = names | set(NEW_PERMISSIONS) if add else names - set(NEW_PERMISSIONS)
    return ",".join(sorted(names))


def _update_roles(add: bool) -> None:
    conn = op.get_bind()
    role = sa.table(
        "role", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("permissions", sa.String)
    )
    for role_id, text in conn.execute(sa.select(role.c.id, role.c.permissions).where(role.c.code.in_(ROLES))):
        conn.execute(sa.update(role).where(role.c.id == role_id).values(permissions=_permissions(text or "", add)))


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("options", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("high_water", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_job_hash", "import_job", ["file_hash", "employee_id", "finished_at"], unique=False)
    op.create_table(
        "import_line",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["import_job.id"]),
        sa.PrimaryKeyConstraint("import_id", "line"),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("call_start", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))
        batch_op.add_column(sa.Column("call_end", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))
        batch_op.add_column(sa.Column("retry_first_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("retry_next_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_attempts", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("script_version", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "campaign_script",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("campaign_id", "version"),
    )
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    op.drop_table("campaign_script")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for column in ("script_version", "max_attempts", "retry_next_min", "retry_first_min", "call_end", "call_start",
                       "priority"):  # fmt: skip
            batch_op.drop_column(column)
    op.drop_table("import_line")
    op.drop_index("ix_import_job_hash", table_name="import_job")
    op.drop_table("import_job")
