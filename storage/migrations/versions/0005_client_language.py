"""texts sent to a client in the client's language: client.language, sms_template.texts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="ru")
        )
    with op.batch_alter_table("sms_template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("texts", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sms_template", schema=None) as batch_op:
        batch_op.drop_column("texts")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("language")
