"""The migrations build what the tables say (0007: the pipeline's), on both engines, and the
derived dates of a database that already has history are filled from it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.tables import metadata
from tests.helpers import Crm, new_client


def test_the_schema_matches_the_tables(crm: Crm) -> None:
    with crm.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []  # every table, column and index of the metadata, as the migrations made them


def test_the_backfill_reads_the_history(crm: Crm) -> None:
    from sqlalchemy import update

    from storage import activity
    from storage.engine import write
    from storage.tables import ClientRow

    boss = crm.console("boss")
    card = new_client(boss)
    boss.add_comment(card.id, "noted")
    with write(crm.engine) as conn:  # as a database from before 0007
        conn.execute(update(ClientRow).values(last_note_at=None, last_contact_at=None, last_call_at=None))
    activity.backfill(crm.engine)
    (row,) = crm.rows("client", id=card.id)
    assert row.last_note_at is not None and row.last_call_at is None and row.last_contact_at is None
