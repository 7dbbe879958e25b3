"""The live floor's table: one row per console session, kept by sign-in, use, sign-out, start_call and
the result form (core.floor.rules decides each session's state from it and today's calls, and an
employee's floor row from their live sessions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class FloorSessionRow(SQLModel, table=True):
    """`session`: the console session's key (an API token's digest, or a local console's random key);
    the row is deleted at sign-out. `seen_at`: its last use (a coarse step), `call_at`: the start of
    the session's latest call (over once a call of the employee ends after it), `form_at`: its
    result form opened."""

    __tablename__ = "floor_session"
    __table_args__ = (
        Index("ix_floor_session_seen", "seen_at"),
        Index("ix_floor_session_employee", "employee_id"),
    )
    session: str = Field(primary_key=True, max_length=64)
    employee_id: int = Field(foreign_key="employee.id")
    signed_in_at: datetime
    seen_at: datetime
    call_at: datetime | None = None
    form_at: datetime | None = None
    client_id: int | None = Field(default=None, foreign_key="client.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
