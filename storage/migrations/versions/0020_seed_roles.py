"""seed roles: the seed's administration staff and sales managers; supervisors see their own desks

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ALL_DESKS = "all_desks"
# The permission sets as core.access.rules.DEFAULT_ROLES has them at this revision.
HEAD = (
    "all_desks,change_visit_date,comment,create_client,edit_contacts,edit_personal,execute_payments,export,"
    "export_reports,hand_over,import_clients,manage_automation,manage_campaigns,merge_clients,send_sms,"
    "view_contacts,view_floor,view_reports,work_calls"
)
SALES = "comment,create_client,edit_contacts,edit_personal,send_sms,view_contacts,work_calls"
NEW_ROLES = {"administration": ("Administration staff", HEAD), "sales_manager": ("Sales manager", SALES)}

role = sa.table(
    "role",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("permissions", sa.String),
    sa.column("read_only", sa.Boolean),
    sa.column("version", sa.Integer),
)
employee = sa.table("employee", sa.column("role_id", sa.Integer))


def _supervisor_desks(add: bool) -> None:
    """S4: only administration staff see every desk; the supervisor role loses (or regains) it."""
    conn = op.get_bind()
    row = conn.execute(sa.select(role.c.id, role.c.permissions).where(role.c.code == "supervisor")).first()
    if row is None:
        return
    names = {p for p in (s.strip() for s in (row.permissions or "").split(",")) if p}
    names = names | {ALL_DESKS} if add else names - {ALL_DESKS}
    conn.execute(
        sa.update(role)
        .where(role.c.id == row.id)
        .values(permissions=",".join(sorted(names)), version=role.c.version + 1)
    )


def upgrade() -> None:
    conn = op.get_bind()
    known = set(conn.scalars(sa.select(role.c.code)))
    rows = [
        {"code": code, "name": name, "permissions": perms, "read_only": False, "version": 0}
        for code, (name, perms) in NEW_ROLES.items()
        if code not in known
    ]
    if rows:
        conn.execute(sa.insert(role), rows)
    _supervisor_desks(add=False)


def downgrade() -> None:
    _supervisor_desks(add=True)
    conn = op.get_bind()
    in_use = sa.select(employee.c.role_id).where(employee.c.role_id.is_not(None))
    conn.execute(sa.delete(role).where(role.c.code.in_(list(NEW_ROLES)), role.c.id.not_in(in_use)))
