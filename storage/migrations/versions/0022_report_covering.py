"""reports: the period's new clients and their campaign lists read from indexes alone

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # first calls and the funnel filter the new clients by desk and channel: no lookup of the card
    op.drop_index("ix_client_created_at", table_name="client")
    op.create_index("ix_client_created_at", "client", ["created_at", "desk_id", "client_type"])
    # the funnel by campaign: a new client's lists without a lookup of each membership
    op.drop_index("ix_campaign_member_client_id", table_name="campaign_member")
    op.create_index("ix_campaign_member_client_id", "campaign_member", ["client_id", "campaign_id"])


def downgrade() -> None:
    op.drop_index("ix_campaign_member_client_id", table_name="campaign_member")
    op.create_index("ix_campaign_member_client_id", "campaign_member", ["client_id"])
    op.drop_index("ix_client_created_at", table_name="client")
    op.create_index("ix_client_created_at", "client", ["created_at"])
