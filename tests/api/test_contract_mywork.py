"""'My work' in the Console contract, local and remote, on both engines: the same answer from
both, another desk's items never in it, errors mapped back to `core.errors`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ValidationFailed
from core.port import Console
from core.tasks.inputs import NewTask
from core.work.inputs import NewAction
from tests.api.world import World

SignIn = Callable[[str], Console]


def test_my_work_local_and_remote(sign_in: SignIn, world: World) -> None:
    console = sign_in("op_a")
    mine, theirs = world.client("A"), world.client("B")
    me = world.crm.repo.employee_by_login("op_a").id  # type: ignore[union-attr]
    past = datetime.now(UTC) - timedelta(hours=1)
    late = console.add_action(mine.id, NewAction(type="call", due_at=past))
    foreign = world.local("adm").add_action(theirs.id, NewAction(type="call", due_at=past, employee_id=me))
    task = world.local("sup").create_task(
        NewTask(title="Ring the leads", assignee_id=me, deadline=datetime.now(UTC) + timedelta(days=2))
    )

    work = console.my_work(zone="Europe/Moscow", limit=100)
    assert work == world.local("op_a").my_work(zone="Europe/Moscow", limit=100)
    sections = {s.section: s for s in work.sections}
    assert list(sections) == ["overdue", "today", "callbacks", "tasks", "to_check", "online"]
    overdue = {i.id for i in sections["overdue"].items}
    assert late.id in overdue and foreign.id not in overdue
    assert sections["overdue"].count == len(overdue)
    assert task.id in {i.id for i in sections["tasks"].items}
    assert work.zone == "Europe/Moscow"
    assert console.my_work().zone  # no zone: the server's
    with pytest.raises(ValidationFailed):
        console.my_work(zone="Mars/Olympus")
