"""reports: a client's hand-overs by time, so R3 credits each deposit to the manager of its moment

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 17:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_hand_over_client_id", table_name="hand_over")
    op.create_index("ix_hand_over_client_at", "hand_over", ["client_id", "at", "from_employee_id"])


def downgrade() -> None:
    op.drop_index("ix_hand_over_client_at", table_name="hand_over")
    op.create_index("ix_hand_over_client_id", "hand_over", ["client_id"])
