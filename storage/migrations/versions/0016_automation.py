"""automation: rules and their firings, the manage_automation permission

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime
NEW_PERMISSIONS = ("manage_automation",)
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
        "automation_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("trigger", S(length=40), nullable=False),
        sa.Column("spec", S(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_automation_rule_trigger", "automation_rule", ["trigger", "enabled"])
    op.create_table(
        "automation_firing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("event_key", S(length=200), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.Column("summary", S(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["automation_rule.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "event_key", name="uq_automation_firing_rule_event"),
    )
    op.create_index("ix_automation_firing_client", "automation_firing", ["client_id", "id"])
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    op.drop_index("ix_automation_firing_client", table_name="automation_firing")
    op.drop_table("automation_firing")
    op.drop_index("ix_automation_rule_trigger", table_name="automation_rule")
    op.drop_table("automation_rule")
