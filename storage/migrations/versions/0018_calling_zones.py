"""calling zones: the time zone of a region and of a desk (K16: calling hours in the client's zone)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# storage.catalogue.REGION_ZONES as of this revision: the seeded regions outside Moscow time
ZONES = {
    "Самарская область": "Europe/Samara",
    "Свердловская область": "Asia/Yekaterinburg",
    "Челябинская область": "Asia/Yekaterinburg",
    "Новосибирская область": "Asia/Novosibirsk",
    "Омская область": "Asia/Omsk",
}


def upgrade() -> None:
    for table in ("region", "desk"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    region = sa.table("region", sa.column("name", sa.String), sa.column("timezone", sa.String))
    for name, zone in ZONES.items():
        op.get_bind().execute(sa.update(region).where(region.c.name == name).values(timezone=zone))


def downgrade() -> None:
    for table in ("desk", "region"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("timezone")
