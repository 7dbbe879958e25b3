"""Kinds every queue knows; the areas add theirs by importing their job modules here."""

from __future__ import annotations

from typing import Any

from core.jobs.registry import JobContext, job_kind


@job_kind("noop")
def noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Does nothing: a probe that the worker runs."""


import core.automation.jobs  # noqa: E402,F401 - automation.event, automation.sweep
import core.tasks.jobs  # noqa: E402,F401 - tasks.recur
