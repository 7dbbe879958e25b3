"""Tables of e-mail delivery (I3): the e-mail outbox and its templates (SMS: storage.tables); the
cabinet logins of M2, whose credentials go by e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class EmailTemplateRow(SQLModel, table=True):
    __tablename__ = "email_template"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=60)
    name: str
    subject: str  # in the default client language (Russian)
    body: str
    texts: str = "{}"  # JSON: language -> {"subject": ..., "body": ...}


class EmailOutboxRow(SQLModel, table=True):
    """E-mails waiting for the SMTP server; statuses as the SMS outbox's (core.delivery.rules)."""

    __tablename__ = "email_outbox"
    __table_args__ = (Index("ix_email_outbox_status_after", "status", "send_after"),)
    id: int | None = Field(default=None, primary_key=True)
    to: str
    subject: str
    body: str
    redacted: str | None = None  # replaces the body once sent (the body holds a secret)
    status: str = "queued"  # core.delivery.rules.DeliveryStatus
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    sent_at: datetime | None = None
    client_id: int | None = Field(default=None, foreign_key="client.id", index=True)
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    template_code: str | None = None
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_try_at: datetime | None = None
    claim_token: str | None = Field(default=None, max_length=40)
    claimed_until: datetime | None = None
    error: str | None = Field(default=None, max_length=300)


class CabinetAccountRow(SQLModel, table=True):
    """M2: the client's cabinet login (one per client); the password is nowhere in the CRM."""

    __tablename__ = "cabinet_account"
    client_id: int = Field(foreign_key="client.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    login: str = Field(max_length=60)
    registered_at: datetime
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
