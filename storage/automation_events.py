"""Automation events (M8) queued in the transaction of the change that made them: ONE statement per
change, an INSERT of an `automation.event` job that inserts nothing unless an enabled rule of that
trigger exists, so a database without rules pays a cheap indexed probe and its queue stays empty.
A job per event (rather than an event table the worker scans) reuses the queue's claim, lease,
retries and failure view, and needs no scan position of its own. A change whose own read already
probed the rules (`rules_on`, e.g. the call's facts) skips the INSERT when none is on."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Exists, Integer, String, bindparam, exists, insert, literal, select

from core.automation.firing import EVENT_JOB
from core.automation.rules import Event
from core.jobs.models import JobStatus
from storage.tables_automation import AutomationRuleRow
from storage.tables_jobs import JobRow

_J = JobRow.__table__  # type: ignore[attr-defined]
_R = AutomationRuleRow.__table__  # type: ignore[attr-defined]
_AT = bindparam("e_at", type_=_J.c.run_after.type)
_EMIT = insert(_J).from_select(
    ["kind", "payload", "status", "attempts", "max_attempts", "run_after", "created_at"],
    select(
        literal(EVENT_JOB, String()),
        bindparam("e_payload", type_=String()),
        literal(JobStatus.QUEUED.value, String()),
        literal(0, Integer()),
        literal(5, Integer()),
        _AT,
        _AT,
    ).where(exists().where(_R.c.trigger == bindparam("e_trigger", type_=String()), _R.c.enabled.is_(True))),
)


def rules_on(trigger: str) -> Exists:
    """Whether an enabled rule of `trigger` exists: a column for a change's own read statement."""
    return exists().where(_R.c.trigger == trigger, _R.c.enabled.is_(True))


def emit(conn: Connection, now: datetime, events: Iterable[Event]) -> None:
    """Queue the events (with the caller's transaction) for the rules of their triggers."""
    rows = [{"e_payload": json.dumps(e.payload()), "e_at": now, "e_trigger": e.trigger.value} for e in events]
    if len(rows) == 1:
        conn.execute(_EMIT, rows[0])
    elif rows:
        conn.execute(_EMIT, rows)
