"""The live floor's table: one row per employee, kept by sign-in, sign-out, start_call and the
result form (core.floor.rules decides the state from it and today's calls)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class FloorStateRow(SQLModel, table=True):
    """`signed_in_at` None: signed out. `call_at`: the start of the employee's latest call (over
    once a call of theirs ends after it), `form_at`: its result form opened."""

    __tablename__ = "floor_state"
    __table_args__ = (Index("ix_floor_state_signed_in", "signed_in_at"),)
    employee_id: int = Field(foreign_key="employee.id", primary_key=True)
    signed_in_at: datetime | None = None
    call_at: datetime | None = None
    form_at: datetime | None = None
    client_id: int | None = Field(default=None, foreign_key="client.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
