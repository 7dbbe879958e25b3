"""phone: covering indexes, a number's cards and a card's numbers read from the index alone

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_phone_e164_client", "phone", ["e164", "client_id"], unique=False)
    op.create_index("ix_phone_client_e164", "phone", ["client_id", "e164"], unique=False)
    op.drop_index("ix_phone_e164", table_name="phone")
    op.drop_index("ix_phone_client_id", table_name="phone")


def downgrade() -> None:
    op.create_index("ix_phone_client_id", "phone", ["client_id"], unique=False)
    op.create_index("ix_phone_e164", "phone", ["e164"], unique=False)
    op.drop_index("ix_phone_client_e164", table_name="phone")
    op.drop_index("ix_phone_e164_client", table_name="phone")
