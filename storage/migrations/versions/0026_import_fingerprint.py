"""imports: the fingerprint of a file's bytes, so that importing the same file again is asked about

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index("ix_import_job_content", "import_job", ["content_hash"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_import_job_content", table_name="import_job")
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("content_hash")
