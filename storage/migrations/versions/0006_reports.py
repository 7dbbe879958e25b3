"""reports: the export audit, period indexes, the report permissions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_PERMISSIONS = ("view_reports", "export_reports")
ROLES = ("admin", "supervisor")
# a card's history in order, and what the first-call and funnel reports read, from the index alone
CLIENT_AT_COVERING = ["client_id", "at", "kind", "result", "employee_id", "campaign_id"]


def _permissions(text: str, add: bool) -> str:
    names = {p for p in (s.strip() for s in text.split(",")) if p}
    names = names | set(NEW_PERMISSIONS) if add else names - set(NEW_PERMISSIONS)
    return ",".join(sorted(names))


def _update_roles(add: bool) -> None:
    conn = op.get_bind()
    role = sa.table("role", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("permissions", sa.String))
    for role_id, text in conn.execute(sa.select(role.c.id, role.c.permissions).where(role.c.code.in_(ROLES))):
        conn.execute(sa.update(role).where(role.c.id == role_id).values(permissions=_permissions(text or "", add)))


def upgrade() -> None:
    op.create_table(
        "report_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("report", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("filters", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_export_at"), ["at"], unique=False)
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_at", ["at", "kind", "employee_id", "result", "ended_at"], unique=False)
        batch_op.drop_index("ix_contact_client_at")
        batch_op.create_index("ix_contact_client_at", CLIENT_AT_COVERING, unique=False)
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index("ix_client_created_at", ["created_at"], unique=False)
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_created_at")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_at")
        batch_op.drop_index("ix_contact_client_at")
        batch_op.create_index("ix_contact_client_at", ["client_id", "at"], unique=False)
    with op.batch_alter_table("report_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_export_at"))
    op.drop_table("report_export")
