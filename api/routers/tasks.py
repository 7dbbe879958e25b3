"""Tasks (M6): set one, list mine, mark done, accept or return, the header's reminders.

The rules (who may mark done or check, whose tasks one may set) are core.tasks' and apply here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SignedInConsole
from api.errors import responses
from core.shapes import MAX_ID
from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import Person, Reminders, Task, TaskCard, TaskScope

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=responses(403))
TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", response_model=Task, status_code=201, responses=responses(422))
def create(body: NewTask, console: SignedInConsole) -> Task:
    """Set a task for an active employee of my desks; `repeat`: daily, weekly, monthly or `cron: …`."""
    return console.create_task(body)


@router.get("", response_model=list[Task])
def listing(
    console: SignedInConsole,
    scope: Annotated[TaskScope, Query()] = TaskScope.ALL,
    open_only: Annotated[bool, Query()] = True,
) -> list[Task]:
    """My tasks: assigned to me, set by me, watched by me (accepted ones only with open_only=false)."""
    return console.tasks(scope, open_only)


@router.get("/reminders", response_model=Reminders)
def reminders(console: SignedInConsole) -> Reminders:
    """The header's reminders: a count of my open tasks within their reminder time, and the first few."""
    return console.task_reminders()


@router.get("/assignees", response_model=list[Person])
def assignees(console: SignedInConsole) -> list[Person]:
    """Whom I may set a task for (and name as watchers)."""
    return console.task_assignees()


@router.get("/{task_id}", response_model=TaskCard, responses=responses(404))
def card(task_id: TaskId, console: SignedInConsole) -> TaskCard:
    return console.task(task_id)


@router.post("/{task_id}/done", response_model=Task, responses=responses(404, 409))
def done(task_id: TaskId, body: TaskDone, console: SignedInConsole) -> Task:
    """The assignee marks it done."""
    return console.complete_task(task_id, body)


@router.post("/{task_id}/check", response_model=Task, responses=responses(404, 409, 422))
def check(task_id: TaskId, body: TaskCheck, console: SignedInConsole) -> Task:
    """The author accepts it, or returns it with a comment."""
    return console.check_task(task_id, body)
