"""delivery: the e-mail outbox and templates; the SMS outbox's attempts, next try, claim and error;
the cabinet logins (M2)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

DELIVERY_COLUMNS = (
    ("attempts", sa.Integer(), False),
    ("next_try_at", sqlmodel.sql.sqltypes.UTCDateTime(), True),
    ("claim_token", sqlmodel.sql.sqltypes.AutoString(length=40), True),
    ("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), True),
    ("error", sqlmodel.sql.sqltypes.AutoString(length=300), True),
)


def _delivery_columns() -> list[sa.Column]:
    return [
        sa.Column(name, kind, nullable=nullable, server_default=None if nullable else "0")
        for name, kind, nullable in DELIVERY_COLUMNS
    ]


def upgrade() -> None:
    with op.batch_alter_table("sms_outbox", schema=None) as batch_op:
        for column in _delivery_columns():
            batch_op.add_column(column)
    op.create_table(
        "email_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("texts", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("redacted", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("send_after", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("template_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        *_delivery_columns(),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_outbox_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_email_outbox_status_after", ["status", "send_after"], unique=False)
    op.create_table(
        "cabinet_account",
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("registered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("client_id"),
    )


def downgrade() -> None:
    op.drop_table("cabinet_account")
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_email_outbox_status_after")
        batch_op.drop_index(batch_op.f("ix_email_outbox_client_id"))
    op.drop_table("email_outbox")
    op.drop_table("email_template")
    with op.batch_alter_table("sms_outbox", schema=None) as batch_op:
        for name, _kind, _nullable in reversed(DELIVERY_COLUMNS):
            batch_op.drop_column(name)
