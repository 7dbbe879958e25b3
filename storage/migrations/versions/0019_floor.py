"""the live floor: the per-employee state row, the list counts' index, the view_floor permission

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

NEW_PERMISSIONS = ("view_floor",)
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
    # the floor's list counts: one range per state of this index; the do-not-disturb cards' own index
    op.create_index(
        "ix_campaign_member_state", "campaign_member", ["state", "campaign_id", "next_call_at"], unique=False
    )
    op.create_index(
        "ix_client_dnd",
        "client",
        ["id"],
        unique=False,
        sqlite_where=sa.text("do_not_disturb = 1"),
        postgresql_where=sa.text("do_not_disturb"),
    )
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    op.drop_index("ix_client_dnd", table_name="client")
    op.drop_index("ix_campaign_member_state", table_name="campaign_member")
    op.drop_index("ix_floor_state_signed_in", table_name="floor_state")
    op.drop_table("floor_state")
