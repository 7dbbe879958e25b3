"""What the floor needs from a store (`FloorStore`, part of `core.repository.Repository`): the
aggregates of one transaction, and the per-session state row kept by sign-in, use, sign-out,
start_call and the result form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class FloorQuery:
    now: datetime
    day_start: datetime
    day_end: datetime
    live_since: datetime  # sign-ins from here on count
    seen_since: datetime  # sessions used from here on count
    desk_ids: tuple[int, ...] | None  # the viewer's desks (None: every desk)
    unreached: tuple[str, ...]
    agreed: tuple[str, ...]


@dataclass(frozen=True)
class EmployeeFacts:
    """One live session of an employee with the employee's figures of today."""

    employee_id: int
    employee: str
    signed_in_at: datetime
    call_at: datetime | None
    form_at: datetime | None
    client_id: int | None
    client: str | None  # the client's full name
    client_desk_id: int | None
    campaign: str | None
    calls: int
    reached: int
    agreed: int
    talk_total: int
    talked: int
    last_end: datetime | None
    last_result: str | None


@dataclass(frozen=True)
class CampaignFacts:
    campaign_id: int
    campaign: str
    active: bool
    callbacks_due: int
    fresh: int
    retries: int
    exhausted: int
    do_not_disturb: int


@dataclass(frozen=True)
class FloorFacts:
    employees: list[EmployeeFacts]
    campaigns: list[CampaignFacts]
    hours: list[tuple[int, int, int]]  # (campaign id, local hour, calls) of today's calls on the listed campaigns


@dataclass(frozen=True)
class CallFacts:
    contact_id: int
    client_id: int
    client: str
    client_desk_id: int | None
    at: datetime
    ended_at: datetime | None
    campaign: str | None
    result: str | None


class FloorStore(Protocol):
    def floor(self, q: FloorQuery) -> FloorFacts:
        """One transaction: the live sessions of the desks' employees with today's aggregates (an
        employee's sessions next to each other), the campaigns' list counts, today's calls per
        campaign and hour."""
        ...

    def floor_calls(self, q: FloorQuery, employee_id: int, limit: int) -> list[CallFacts] | None:
        """The employee's calls of today, newest first; None when the employee is not of the desks."""
        ...

    def floor_signed_in(self, session: str, employee_id: int, at: datetime) -> None: ...
    def floor_seen(self, session: str, at: datetime) -> None:
        """The session was used at `at` (its idle limit starts again)."""
        ...

    def floor_signed_out(self, session: str) -> None: ...
    def floor_form(self, session: str, client_id: int, at: datetime) -> None:
        """Mark the result form open when the session's call in progress is with this client."""
        ...
