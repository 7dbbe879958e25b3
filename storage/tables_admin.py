"""The tables of administration (core.admin): the audit log of administrative changes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class AdminAuditRow(SQLModel, table=True):
    """Append-only: who changed which employee, role or desk, when, and each field old -> new.
    Nothing updates or deletes a row (no route, no command). Never a password."""

    __tablename__ = "admin_audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="employee.id")
    actor: str = Field(max_length=64)
    action: str = Field(max_length=40, index=True)
    target: str = Field(max_length=100)
    changes: str  # JSON: [[field, old, new], ...]
