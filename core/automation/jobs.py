"""Automation's job kinds: `automation.event` (one per event, queued in the event's transaction)
and `automation.sweep` (the timed triggers, every five minutes while a timed rule is enabled)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.automation.firing import EVENT_JOB, SWEEP_JOB, run_event, sweep
from core.automation.rules import Event
from core.jobs.registry import JobContext, job_kind


@job_kind(EVENT_JOB)
def on_event(ctx: JobContext, payload: dict[str, Any]) -> None:
    run_event(ctx.repo, Event.of(payload), ctx.clock.now())


@job_kind(SWEEP_JOB)
def on_sweep(ctx: JobContext, payload: dict[str, Any]) -> None:
    sweep(ctx.repo, datetime.fromisoformat(payload["since"]), ctx.clock.now())
