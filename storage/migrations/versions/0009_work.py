"""work: actions and their types, saved views, tags; the client's derived dates and view indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DATES = ("last_note_at", "last_call_at", "last_contact_at", "last_deposit_at")
# name -> columns: a date range with the desk rule is counted from the index alone
CLIENT_INDEXES = {"desk_id": ["desk_id"], "responsible_id": ["responsible_id"]} | {d: [d, "desk_id"] for d in DATES}
BACKFILL = (
    "UPDATE client SET"
    " last_call_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id AND h.kind = 'call'),"
    " last_contact_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id"
    " AND h.kind IN ('call', 'sms', 'visit')),"
    " last_note_at = (SELECT MAX(h.at) FROM contact h WHERE h.client_id = client.id AND h.kind = 'comment')"
)
_KEY = sa.String().with_variant(sa.String(collation="C"), "postgresql")
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        for name in DATES:
            batch_op.add_column(sa.Column(name, _TIME(), nullable=True))
    with op.batch_alter_table("client", schema=None) as batch_op:
        for name, columns in CLIENT_INDEXES.items():
            batch_op.create_index(f"ix_client_{name}", columns, unique=False)
    op.execute(BACKFILL)
    op.create_table(
        "action_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("due_at", _TIME(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("done_at", _TIME(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["type_id"], ["action_type.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["done_by"], ["employee.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_client_due", "action", ["client_id", "due_at"])
    op.create_index("ix_action_due", "action", ["due_at", "done_at"])
    op.create_index("ix_action_employee_due", "action", ["employee_id", "due_at"])
    op.create_table(
        "saved_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("conditions", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sort", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("descending", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_saved_view_owner_id", "saved_view", ["owner_id"])
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _KEY, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "client_tag",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"]),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.PrimaryKeyConstraint("tag_id", "client_id"),
    )
    op.create_index("ix_client_tag_client_id", "client_tag", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_client_tag_client_id", table_name="client_tag")
    op.drop_table("client_tag")
    op.drop_table("tag")
    op.drop_index("ix_saved_view_owner_id", table_name="saved_view")
    op.drop_table("saved_view")
    for name in ("ix_action_employee_due", "ix_action_due", "ix_action_client_due"):
        op.drop_index(name, table_name="action")
    op.drop_table("action")
    op.drop_table("action_type")
    with op.batch_alter_table("client", schema=None) as batch_op:
        for name in CLIENT_INDEXES:
            batch_op.drop_index(f"ix_client_{name}")
        for name in DATES:
            batch_op.drop_column(name)
