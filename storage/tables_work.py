"""The pipeline's tables (M4, M5, M7): action types and actions, saved views, tags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

_KEY = String().with_variant(String(collation="C"), "postgresql")


class ActionTypeRow(SQLModel, table=True):
    """A funnel stage (M4); an administrator edits them."""

    __tablename__ = "action_type"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str = Field(max_length=100)
    position: int = 0
    active: bool = True


class ActionRow(SQLModel, table=True):
    """A planned step of the work with one client: its type, when, who; done when `done_at` is set."""

    __tablename__ = "action"
    __table_args__ = (
        Index("ix_action_client_due", "client_id", "due_at"),  # the card's last action
        Index("ix_action_due", "due_at", "done_at"),  # the Actions table, overdue ones
        Index("ix_action_employee_due", "employee_id", "due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    type_id: int = Field(foreign_key="action_type.id")
    due_at: datetime
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    done_at: datetime | None = None
    done_by: int | None = Field(default=None, foreign_key="employee.id")
    comment: str | None = Field(default=None, max_length=2000)
    created_by: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime


class SavedViewRow(SQLModel, table=True):
    """A saved set of conditions over clients or actions (M5): personal, or shared with everyone."""

    __tablename__ = "saved_view"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    subject: str = Field(max_length=10)  # core.work.rules.Subject
    shared: bool = False
    owner_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    conditions: str  # JSON list of {field, op, values}
    sort: str = Field(max_length=40)
    descending: bool = False
    created_at: datetime


class TagRow(SQLModel, table=True):
    __tablename__ = "tag"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=_KEY, unique=True)  # core.work.rules.tag_key


class ClientTagRow(SQLModel, table=True):
    """A tag on a client (M7); `#tag` search and tag views read it by the tag."""

    __tablename__ = "client_tag"
    tag_id: int = Field(foreign_key="tag.id", primary_key=True)
    client_id: int = Field(foreign_key="client.id", primary_key=True, index=True)
