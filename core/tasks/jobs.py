"""The `tasks.recur` job: a recurring task's next occurrence once it is done or due, exactly once
(the next task and the job's done mark commit together; a task has one next at most)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.jobs.registry import JobContext, job_kind
from core.tasks import recurrence, rules

RECUR = "tasks.recur"


@job_kind(RECUR)
def recur(ctx: JobContext, payload: dict[str, Any]) -> None:
    record = ctx.repo.series_record(int(payload["task_id"]))
    if record is None or record.next_task_id is not None or not record.draft.repeat:
        return
    now = ctx.clock.now()
    draft = record.draft
    deadline = recurrence.next_deadline(draft.repeat, draft.deadline, now, draft.zone)  # type: ignore[arg-type]
    nxt = replace(
        draft,
        deadline=deadline,
        remind_at=rules.remind_at(deadline, record.remind_minutes),
        series_id=draft.series_id or record.task_id,
    )
    ctx.repo.add_next_occurrence(record.task_id, nxt, now)
