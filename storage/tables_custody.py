"""The custody area's tables (C17, F3): append-only records of hand-overs and of merges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class HandOverRow(SQLModel, table=True):
    """One client given to another manager (C17): who, when, from whom, to whom, between which desks."""

    __tablename__ = "hand_over"
    # R3: the manager a client had at a moment is one probe (a client's hand-overs by time)
    __table_args__ = (Index("ix_hand_over_client_at", "client_id", "at", "from_employee_id"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    at: datetime
    employee_id: int = Field(foreign_key="employee.id")
    from_employee_id: int | None = Field(default=None, foreign_key="employee.id")
    to_employee_id: int = Field(foreign_key="employee.id")
    from_desk_id: int | None = Field(default=None, foreign_key="desk.id")
    to_desk_id: int | None = Field(default=None, foreign_key="desk.id")


class ClientMergeRow(SQLModel, table=True):
    """One merge of two cards (F3): the merged-away card's own columns before it, and what was kept."""

    __tablename__ = "client_merge"
    id: int | None = Field(default=None, primary_key=True)
    survivor_id: int = Field(foreign_key="client.id", index=True)
    merged_id: int = Field(foreign_key="client.id", index=True)
    at: datetime
    employee_id: int = Field(foreign_key="employee.id")
    snapshot: str  # JSON
