"""The tables of access: bearer tokens, idempotency keys, the sign-in guard's counters, the security audit log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ApiTokenRow(SQLModel, table=True):
    """A bearer token of the API; only its SHA-256 is stored (core.access.tokens)."""

    __tablename__ = "api_token"
    digest: str = Field(primary_key=True, max_length=64)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    created_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None = None
    auth_version: int = 0  # the employee's auth_version when issued (core.access.tokens)


class IdempotencyKeyRow(SQLModel, table=True):
    """The first answer to a write sent with an Idempotency-Key (core.idempotency)."""

    __tablename__ = "idempotency_key"
    employee_id: int = Field(foreign_key="employee.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=200)
    operation: str
    request_hash: str = Field(max_length=64)
    response: str
    created_at: datetime = Field(index=True)


class AttemptCounterRow(SQLModel, table=True):
    """Attempts in a row per key (client address, login at an address, ...): core.access.throttle."""

    __tablename__ = "attempt_counter"
    key: str = Field(primary_key=True, max_length=64)
    attempts: int = 0
    last_at: datetime | None = None
    blocked_until: datetime | None = None


class AuditEventRow(SQLModel, table=True):
    """Security audit log: failed sign-ins, refusals, duplicate checks. Never a password."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    event: str = Field(max_length=40)
    address: str | None = Field(default=None, max_length=64)
    login: str | None = Field(default=None, max_length=64)
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    detail: str | None = Field(default=None, max_length=400)
