"""'My work' through the local Console on SQLite and PostgreSQL at fixed instants: overdue and
due today in the employee's zone, done ones absent, another desk's and another employee's absent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from core.calls.inputs import CallState
from core.errors import PermissionDenied, ValidationFailed
from core.mywork.models import MyWork
from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.work.inputs import NewAction
from storage.engine import write
from storage.tables import ClientRow, DeskRow
from tests.helpers import MAIN_DESK, T0, Crm, new_client
from tests.save_world import World
from tests.statements import counting

OTHER_DESK = "Retention"
# T0 is Monday 10 March 2025 09:00 UTC: 12:00 in Moscow (today ends 21:00 UTC), 19:00 in
# Vladivostok (today ends 14:00 UTC).


def by_section(work: MyWork) -> dict[str, list[tuple[str, int]]]:
    return {s.section: [(i.kind, i.id) for i in s.items] for s in work.sections}


def counts(work: MyWork) -> dict[str, int]:
    return {s.section: s.count for s in work.sections}


@pytest.fixture
def world(crm: Crm) -> World:
    with write(crm.engine) as conn:
        conn.execute(insert(DeskRow).values(name=OTHER_DESK))
    return World(crm, role="operator")


def _to_other_desk(crm: Crm, client_id: int, **values: object) -> None:
    with write(crm.engine) as conn:
        other = conn.scalar(select(DeskRow.id).where(DeskRow.name == OTHER_DESK))
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(desk_id=other, **values))


def _me(crm: Crm, login: str) -> int:
    return crm.repo.employee_by_login(login).id  # type: ignore[union-attr]


def test_actions_overdue_and_due_today_in_my_zone(crm: Crm, world: World) -> None:
    op = world.console
    head = crm.console("head", role="admin", desks=[MAIN_DESK, OTHER_DESK])
    mine = new_client(op, surname="Мой", phones=["+79120000011"]).id
    theirs = new_client(head, surname="Чужой", phones=["+79120000012"]).id
    _to_other_desk(crm, theirs)
    late = op.add_action(mine, NewAction(type="call", due_at=T0 - timedelta(hours=1)))
    done = op.add_action(mine, NewAction(type="call", due_at=T0 - timedelta(hours=2)))
    op.mark_action(done.id)
    noon_utc = op.add_action(mine, NewAction(type="consultation", due_at=T0 + timedelta(hours=3)))
    evening = op.add_action(mine, NewAction(type="deposit", due_at=T0 + timedelta(hours=8)))  # 20:00 MSK
    tomorrow = op.add_action(mine, NewAction(type="call", due_at=T0 + timedelta(hours=13)))  # 01:00 MSK
    head.add_action(theirs, NewAction(type="call", due_at=T0, employee_id=_me(crm, "operator1")))
    head.add_action(mine, NewAction(type="call", due_at=T0))  # head's own, not mine

    moscow = op.my_work()
    assert (moscow.day.isoformat(), moscow.zone) == ("2025-03-10", "Europe/Moscow")
    assert by_section(moscow)["overdue"] == [("action", late.id)]
    assert by_section(moscow)["today"] == [("action", noon_utc.id), ("action", evening.id)]
    assert [i.overdue for i in moscow.sections[0].items] == [True]
    assert moscow.sections[1].items[0].client == "Мой Иван Иванович"
    assert moscow.sections[1].items[0].title == "Consultation"
    vladivostok = op.my_work(zone="Asia/Vladivostok")  # 19:00 there: today ends at 14:00 UTC
    assert by_section(vladivostok)["today"] == [("action", noon_utc.id)]
    assert vladivostok.day.isoformat() == "2025-03-10"
    utc = op.my_work(zone="UTC")
    assert by_section(utc)["today"] == [("action", noon_utc.id), ("action", evening.id), ("action", tomorrow.id)]

    crm.clock.advance(hours=4)  # noon_utc's time has passed: overdue now
    later = op.my_work()
    assert by_section(later)["overdue"] == [("action", late.id), ("action", noon_utc.id)]
    assert counts(later)["today"] == 1
    assert counts(op.my_work(limit=1))["overdue"] == 2 and len(op.my_work(limit=1).sections[0].items) == 1


def test_call_backs_i_promised_due_by_the_end_of_today(crm: Crm, world: World) -> None:
    op = world.console
    sup = crm.console("sup", role="supervisor")
    soon, tomorrow, theirs, other_desk = world.client(), world.client(), world.client(), world.client()
    reached = CallState(reached=True)
    op.save_call(world.call(soon, "callback", reason="client_request", state=reached, next_at=T0 + timedelta(hours=2)))
    op.save_call(world.call(tomorrow, "callback", reason="client_request", state=reached))  # tomorrow 12:00 MSK
    sup.save_call(
        world.call(
            theirs, "callback", console=sup, reason="client_request", state=reached, next_at=T0 + timedelta(hours=1)
        )
    )
    op.save_call(
        world.call(other_desk, "callback", reason="client_request", state=reached, next_at=T0 + timedelta(hours=1))
    )
    _to_other_desk(crm, other_desk)

    work = op.my_work()
    (item,) = work.sections[2].items
    assert (item.kind, item.id, item.client_id, item.overdue) == ("callback", world.campaign, soon, False)
    assert item.at == T0 + timedelta(hours=2)
    crm.clock.advance(hours=3)
    assert op.my_work().sections[2].items[0].overdue
    crm.clock.advance(days=1)
    assert {i.client_id for i in op.my_work().sections[2].items} == {soon, tomorrow}


def test_tasks_to_do_returned_to_check_and_clients_online(crm: Crm, world: World) -> None:
    op = world.console
    head = crm.console("head", role="admin", desks=[MAIN_DESK, OTHER_DESK])
    op_id, head_id = _me(crm, "operator1"), _me(crm, "head")
    todo = head.create_task(NewTask(title="Ring the leads", assignee_id=op_id, deadline=T0 + timedelta(hours=1)))
    back = head.create_task(NewTask(title="Fix the card", assignee_id=op_id, deadline=T0 + timedelta(hours=2)))
    op.complete_task(back.id, TaskDone())
    head.check_task(back.id, TaskCheck(accept=False, comment="not yet"))
    finished = head.create_task(NewTask(title="Old one", assignee_id=op_id, deadline=T0 + timedelta(hours=3)))
    op.complete_task(finished.id, TaskDone())
    head.check_task(finished.id, TaskCheck(accept=True))
    checking = op.create_task(NewTask(title="Check my list", assignee_id=head_id, deadline=T0 + timedelta(hours=4)))
    head.complete_task(checking.id, TaskDone())

    live, offline, others, far = (new_client(op, phones=[f"+7912000002{n}"]).id for n in range(4))
    with write(crm.engine) as conn:
        online = {"lifecycle": "live", "online_until": T0 + timedelta(minutes=5), "responsible_id": op_id}
        conn.execute(update(ClientRow).where(ClientRow.id == live).values(**online))
        conn.execute(update(ClientRow).where(ClientRow.id == offline).values(**{**online, "online_until": T0}))
        conn.execute(update(ClientRow).where(ClientRow.id == others).values(**{**online, "responsible_id": head_id}))
    _to_other_desk(crm, far, **online)

    work = by_section(op.my_work())
    assert work["tasks"] == [("task", todo.id), ("task", back.id)]
    assert [i.returned for i in op.my_work().sections[3].items] == [False, True]
    assert work["to_check"] == [("task", checking.id)]
    assert work["online"] == [("client", live)]
    crm.clock.advance(minutes=6)
    assert counts(op.my_work())["online"] == 0


def test_one_read_transaction_and_the_rules_of_asking(crm: Crm, world: World) -> None:
    op = world.console
    op.my_work()  # warm: the employee read
    with counting(crm.engine) as count:
        op.my_work()
    assert count.checkouts == 1, str(count)  # every section in one unit on one connection
    with pytest.raises(ValidationFailed):
        op.my_work(zone="Mars/Olympus")
    with pytest.raises(ValidationFailed):
        op.my_work(limit=0)
    admin = crm.new_console()
    admin.act_as_local_admin()
    with pytest.raises(PermissionDenied):
        admin.my_work()  # the local administrator has no day of their own


def test_day_end_rule_on_a_day_of_23_hours() -> None:
    from core.mywork.rules import day_end, zone

    berlin = zone("Europe/Berlin")  # 30 March 2025: 02:00 CET became 03:00 CEST
    end = datetime(2025, 3, 30, 22, 0, tzinfo=UTC)  # midnight CEST
    assert day_end(datetime(2025, 3, 29, 23, 30, tzinfo=UTC), berlin) == end  # 00:30 CET
    assert day_end(datetime(2025, 3, 30, 21, 59, tzinfo=UTC), berlin) == end
    assert day_end(end, berlin) == datetime(2025, 3, 31, 22, 0, tzinfo=UTC)
