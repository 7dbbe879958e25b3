"""custody: hand-over and merge records, client.merged_into, the flagged-card index, the custody permissions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_PERMISSIONS = ("hand_over", "merge_clients")
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
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_client_merged_into"), ["merged_into"], unique=False)
        batch_op.create_foreign_key("fk_client_merged_into_client", "client", ["merged_into"], ["id"])
        batch_op.create_index("ix_client_possible_duplicate", ["possible_duplicate"], unique=False)
    op.create_table(
        "hand_over",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("from_employee_id", sa.Integer(), nullable=True),
        sa.Column("to_employee_id", sa.Integer(), nullable=False),
        sa.Column("from_desk_id", sa.Integer(), nullable=True),
        sa.Column("to_desk_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["from_employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["to_employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["from_desk_id"], ["desk.id"]),
        sa.ForeignKeyConstraint(["to_desk_id"], ["desk.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hand_over", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hand_over_client_id"), ["client_id"], unique=False)
    op.create_table(
        "client_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["survivor_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["merged_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("client_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_merge_survivor_id"), ["survivor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_merge_merged_id"), ["merged_id"], unique=False)
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    op.drop_table("client_merge")
    op.drop_table("hand_over")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_possible_duplicate")
        batch_op.drop_constraint("fk_client_merged_into_client", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_client_merged_into"))
        batch_op.drop_column("merged_into")
