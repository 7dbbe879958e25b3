"""Tables of automation rules (core.automation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class AutomationRuleRow(SQLModel, table=True):
    """A rule as data; `trigger` is what an event looks its rules up by (with `enabled`)."""

    __tablename__ = "automation_rule"
    __table_args__ = (Index("ix_automation_rule_trigger", "trigger", "enabled"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    enabled: bool = True
    trigger: str = Field(max_length=40)  # core.automation.rules.Trigger
    spec: str  # JSON: trigger, conditions, effects (core.automation.firing.parse)
    author_id: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime
    updated_at: datetime


class AutomationFiringRow(SQLModel, table=True):
    """A rule fired for an event: (rule, event key) is unique, so a rule fires once per event."""

    __tablename__ = "automation_firing"
    __table_args__ = (
        UniqueConstraint("rule_id", "event_key", name="uq_automation_firing_rule_event"),
        Index("ix_automation_firing_client", "client_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="automation_rule.id")
    event_key: str = Field(max_length=200)
    client_id: int = Field(foreign_key="client.id")
    at: datetime
    summary: str = Field(max_length=2000)
