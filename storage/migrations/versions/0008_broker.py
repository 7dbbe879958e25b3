"""broker's side: platform events, trading accounts, trades, money requests, online columns,
the execute-payments permission

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:35:38
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_PERMISSIONS = ("execute_payments",)
ROLES = ("admin", "supervisor")


def _update_roles(add: bool) -> None:
    conn = op.get_bind()
    role = sa.table(
        "role", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("permissions", sa.String)
    )
    for role_id, text in conn.execute(sa.select(role.c.id, role.c.permissions).where(role.c.code.in_(ROLES))):
        names = {p for p in (s.strip() for s in (text or "").split(",")) if p}
        names = names | set(NEW_PERMISSIONS) if add else names - set(NEW_PERMISSIONS)
        conn.execute(sa.update(role).where(role.c.id == role_id).values(permissions=",".join(sorted(names))))


def upgrade() -> None:
    op.create_table(
        "platform_event",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("platform_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_event_client_id"), ["client_id"], unique=False)

    op.create_table(
        "trading_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("equity", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("margin", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("margin_level", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("trading_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trading_account_client_id"), ["client_id"], unique=False)

    op.create_table(
        "money_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("payment_system", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["trading_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["employee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("money_request", schema=None) as batch_op:
        batch_op.create_index("ix_money_request_client", ["client_id", "created_at"], unique=False)
        batch_op.create_index("ix_money_request_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "trade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("ticket", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("volume", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("open_price", sa.Numeric(precision=18, scale=5), nullable=False),
        sa.Column("close_price", sa.Numeric(precision=18, scale=5), nullable=True),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("profit", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["trading_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket"),
    )
    with op.batch_alter_table("trade", schema=None) as batch_op:
        batch_op.create_index("ix_trade_account_opened", ["account_id", "opened_at"], unique=False)

    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("online_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    _update_roles(add=True)


def downgrade() -> None:
    _update_roles(add=False)
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("online_until")

    with op.batch_alter_table("trade", schema=None) as batch_op:
        batch_op.drop_index("ix_trade_account_opened")

    op.drop_table("trade")
    with op.batch_alter_table("money_request", schema=None) as batch_op:
        batch_op.drop_index("ix_money_request_status_created")
        batch_op.drop_index("ix_money_request_client")

    op.drop_table("money_request")
    with op.batch_alter_table("trading_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trading_account_client_id"))

    op.drop_table("trading_account")
    with op.batch_alter_table("platform_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_event_client_id"))

    op.drop_table("platform_event")
