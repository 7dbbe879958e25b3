"""The tasks' part of the Console contract, local and remote, on both engines: the same task from
both, the rules enforced on the server (who marks done, who checks, whose tasks), the reminders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.port import Console
from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import TaskScope, TaskStatus
from tests.api.world import World

SignIn = Callable[[str], Console]


def employee_id(world: World, login: str) -> int:
    return world.crm.repo.employee_by_login(login).id  # type: ignore[union-attr]


def task_for(world: World, login: str, minutes: int = 10, **extra: object) -> NewTask:
    deadline = datetime.now(UTC) + timedelta(minutes=minutes)
    return NewTask.model_validate(
        {"title": "Ring back", "assignee_id": employee_id(world, login), "deadline": deadline, **extra}
    )


def test_a_task_set_done_and_accepted_through_the_port(sign_in: SignIn, world: World) -> None:
    sup, op = sign_in("sup"), sign_in("op_a")
    task = sup.create_task(
        task_for(world, "op_a", text="the three new leads", watcher_ids=[employee_id(world, "sme_a")])
    )
    assert task == world.local("sup").task(task.id).task
    assert task.id in [t.id for t in op.tasks(TaskScope.MINE)]
    reminders = op.task_reminders()  # 10 minutes ahead, reminded 30 before: due now
    assert task.id in [r.id for r in reminders.items] and reminders.count >= 1
    with pytest.raises(PermissionDenied, match="Only the assignee"):
        sup.complete_task(task.id, TaskDone())
    assert op.complete_task(task.id, TaskDone(comment="done")).status == TaskStatus.DONE
    with pytest.raises(Conflict):
        op.complete_task(task.id, TaskDone())
    with pytest.raises(ValidationFailed, match="Say why"):
        sup.check_task(task.id, TaskCheck(accept=False))
    back = sup.check_task(task.id, TaskCheck(accept=False, comment="one lead is left"))
    assert back.status == TaskStatus.OPEN and back.comment == "one lead is left"
    op.complete_task(task.id, TaskDone())
    assert sup.check_task(task.id, TaskCheck(accept=True)).status == TaskStatus.ACCEPTED
    assert [e.event for e in sup.task(task.id).history] == ["created", "done", "returned", "done", "accepted"]


def test_the_desk_rule_and_visibility_on_the_server(sign_in: SignIn, world: World) -> None:
    op_a, op_b = sign_in("op_a"), sign_in("op_b")
    with pytest.raises(ValidationFailed, match="active employee of your desks"):
        op_a.create_task(task_for(world, "op_b"))
    task = op_a.create_task(task_for(world, "op_a", repeat="weekly"))
    assert task.repeat == "weekly"
    with pytest.raises(NotFound):
        op_b.task(task.id)
    assert "Op_b" not in " ".join(p.name for p in op_a.task_assignees())
    with pytest.raises(ValidationFailed):
        op_a.create_task(task_for(world, "op_a", repeat="hourly"))
