"""The demo's broker: a "Forex" desk with leads, demo and live clients, accounts, trades and money
requests over several payment systems, made by the simulator through the real event path."""

from __future__ import annotations

from sqlalchemy import Engine, select

from storage.tables import ClientRow, DeskRow

FOREX_DESK = "Forex"


def broker_client_ids(engine: Engine) -> list[int]:
    """The Forex desk's clients (every client when there is no such desk)."""
    with engine.connect() as conn:
        desk = conn.execute(select(DeskRow.id).where(DeskRow.name == FOREX_DESK)).scalar()
        query = select(ClientRow.id).order_by(ClientRow.id)
        if desk is not None:
            query = query.where(ClientRow.desk_id == desk)
        return list(conn.scalars(query))
