"""Shapes of the live floor: one employee's state and day, one campaign's list, the day's hours."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from core.shapes import Id, Shape

FloorState = Literal["call", "form", "idle"]


class FloorEmployee(Shape):
    """A signed-in employee of my desks. `since`: the call's start (call, form) or the last call's end
    (idle); `client` is None when idle and "***" for a client outside my desks."""

    employee_id: int
    employee: str
    state: FloorState
    since: datetime
    seconds: int  # in this state for (at the floor's `at`)
    client_id: int | None = None
    client: str | None = None
    campaign: str | None = None
    calls: int = 0  # today, in the floor's time zone
    reached: int = 0
    reached_rate: float = 0.0  # reached / calls
    agreed: int = 0
    talk_average: float = 0.0  # seconds over the calls with an end
    last_result: str | None = None


class FloorCampaign(Shape):
    """One campaign of my desks: its list's health now and its calls today."""

    campaign_id: int
    campaign: str
    active: bool
    callbacks_due: int
    fresh: int
    retries: int
    exhausted: int
    do_not_disturb: int
    dialled_today: int
    hours: list[int]  # calls per local hour of today, 24 numbers


class Floor(Shape):
    at: datetime
    day_start: datetime  # the local midnight of today (UTC)
    employees: list[FloorEmployee]
    campaigns: list[FloorCampaign]
    hours: list[int]  # every listed campaign's calls per local hour of today


class FloorCall(Shape):
    """One call of an employee today (the floor's drill-down); Enter opens the card."""

    contact_id: int
    client_id: int
    client: str
    at: datetime
    seconds: int | None
    campaign: str | None
    result: str | None


class ResultFormOpened(Shape):
    """The body of the result form's mark: the client of the call in progress."""

    client_id: Id
