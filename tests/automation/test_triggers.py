"""Each trigger and each effect at fixed instants, through the real places that change things
(the event job queued in their transaction) and the worker (the rules fired by the job)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.calls.inputs import CallState
from core.trading.rules import TradingConfig
from core.work.inputs import NewAction, TagEdit
from tests.automation.world import World
from tests.trading_world import event

SMS = {"kind": "sms", "template": "office_hours"}


def test_lifecycle_changed_to_demo_sends_the_template_once(world: World) -> None:
    rule = world.rule({"kind": "lifecycle_changed", "value": "demo"}, [SMS], name="Welcome")
    client = world.client(phones=["+79123450001"])
    world.boss.trading_config = TradingConfig(online_timeout_s=120)
    world.boss.apply_event(event("registered", client, world.crm.clock.now()))

    assert world.run() == 1
    assert world.run() == 0
    (sms,) = [s for s in world.crm.rows("sms_outbox", client_id=client)]
    assert sms.to == "+79123450001" and sms.template_code == "office_hours" and sms.text.startswith("Иван Иванович")
    assert world.history(client) == ["Rule 'Welcome': SMS 'office_hours'"]
    assert world.firings(rule.id) == 1


def test_lifecycle_to_another_stage_does_not_fire(world: World) -> None:
    world.rule({"kind": "lifecycle_changed", "value": "live"}, [SMS])
    client = world.client()
    world.boss.trading_config = TradingConfig(online_timeout_s=120)
    world.boss.apply_event(event("registered", client, world.crm.clock.now()))  # lead -> demo
    world.run()
    assert world.firings() == 0


def test_action_of_a_type_done_creates_a_task(world: World) -> None:
    world.rule(
        {"kind": "action_done", "value": "consultation"},
        [{"kind": "task", "title": "Send the offer", "due_minutes": 30}],
    )
    client = world.client()
    now = world.crm.clock.now()
    call = world.boss.add_action(client, NewAction(type="call", due_at=now))
    consult = world.boss.add_action(client, NewAction(type="consultation", due_at=now))
    world.boss.mark_action(call.id)
    world.run()
    assert world.crm.count("task") == 0  # another type
    world.boss.mark_action(consult.id)
    world.run()
    (task,) = world.boss.tasks()
    assert task.title == "Send the offer" and task.deadline == now + timedelta(minutes=30)
    assert task.assignee.id == world.boss.whoami().id  # no responsible: the rule's author


def test_call_result_saved_adds_a_tag(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    from tests.save_world import World as Calls

    calls = Calls(crm)
    world.rule({"kind": "result_saved", "value": "callback"}, [{"kind": "tag", "tag": "#Перезвон"}])
    client = calls.client()
    reached = {"reason": "client_request", "state": CallState(reached=True)}
    calls.console.save_call(calls.call(client, "callback", **reached))
    world.run()
    assert world.boss.open_card(client).tags == ["перезвон"]
    assert world.history(client) == ["Rule 'Rule': tag #перезвон"]


def test_a_deposit_above_the_amount_goes_to_the_head_of_sales(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    crm.add_employee("head", role="supervisor")
    head = next(p.id for p in world.boss.task_assignees() if p.name.startswith("Head"))
    world.rule({"kind": "deposit", "amount": "100000", "currency": "RUB"}, [{"kind": "hand_to", "head_of_sales": True}])
    small, big = world.client(), world.client(phones=["+79123450002"])
    world.boss.trading_config = TradingConfig(online_timeout_s=120)
    now = crm.clock.now()
    for client, amount in ((small, "99999.99"), (big, "100000.00")):
        number = f"R-{client}"
        world.boss.apply_event(event("real_account", client, now, account=number, currency="RUB"))
        world.boss.apply_event(event("deposit", client, now, account=number, currency="RUB", amount=Decimal(amount),
                                     payment_system="card", status="completed"))  # fmt: skip
    world.run()
    assert world.responsible(small) == world.boss.whoami().id  # its creator's still
    assert world.responsible(big) == head
    assert world.history(big) == [f"Rule 'Rule': handed to employee {head} (head of sales)"]
    # on record as a hand-over (C17), so the sales report credits the deposit to the manager of its moment
    moves = crm.rows("hand_over", client_id=big)
    boss = world.boss.whoami().id
    assert [(m.from_employee_id, m.to_employee_id, m.employee_id) for m in moves] == [(boss, head, boss)]
    assert crm.rows("hand_over", client_id=small) == []


def test_a_deposit_in_another_currency_does_not_fire(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    world.rule({"kind": "deposit", "amount": "10", "currency": "USD"}, [{"kind": "tag", "tag": "big"}])
    client = world.client()
    world.boss.trading_config = TradingConfig(online_timeout_s=120)
    now = crm.clock.now()
    world.boss.apply_event(event("real_account", client, now, account="R-9", currency="EUR"))
    world.boss.apply_event(event("deposit", client, now, account="R-9", currency="EUR", amount=Decimal("500"),
                                 payment_system="card", status="completed"))  # fmt: skip
    world.run()
    assert world.firings() == 0


def test_tag_added_hands_the_client_to_an_employee(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    crm.add_employee("vip", role="operator")
    vip = next(p.id for p in world.boss.task_assignees() if p.name.startswith("Vip"))
    world.rule({"kind": "tag_added", "value": "vip"}, [{"kind": "hand_to", "employee_id": vip}])
    client, other = world.client(), world.client()
    world.boss.edit_tags(client, TagEdit(add=["VIP"]))
    world.boss.edit_tags(other, TagEdit(add=["regular"]))
    world.run()
    assert world.responsible(client) == vip
    assert world.responsible(other) == world.boss.whoami().id
    assert world.history(client) == [f"Rule 'Rule': handed to employee {vip}"]


def test_an_overdue_action_from_the_sweep_creates_an_action(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    world.rule({"kind": "action_overdue", "value": "call"}, [{"kind": "action", "action_type": "consultation"}])
    client = world.client()
    now = crm.clock.now()
    world.boss.add_action(client, NewAction(type="call", due_at=now + timedelta(minutes=2)))
    world.run()  # the first sweep: nothing is overdue yet
    assert world.firings() == 0
    crm.clock.advance(minutes=5)
    world.run()  # the next sweep: the call is overdue since 3 minutes
    assert world.firings() == 1
    crm.clock.advance(minutes=5)
    world.run()  # and it fires once only
    assert world.firings() == 1
    types = sorted(a.type for a in world.boss.client_actions(client))
    assert types == ["call", "consultation"]


def test_no_contact_for_n_days_fires_when_the_days_are_reached(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    client = world.client()  # created now, never contacted
    world.rule({"kind": "no_contact", "days": 1}, [{"kind": "tag", "tag": "silent"}])
    world.run()
    assert world.firings() == 0
    crm.clock.advance(hours=23, minutes=55)
    for _ in range(2):  # two sweeps, five minutes apart: the day is reached in the second
        crm.clock.advance(minutes=5)
        world.run()
    assert world.boss.open_card(client).tags == ["silent"]
    assert world.firings() == 1


def test_conditions_filter_as_in_views(world: World) -> None:
    world.rule({"kind": "tag_added", "value": "new"}, [{"kind": "tag", "tag": "moscow"}],
               conditions=[{"field": "surname", "op": "eq", "values": ["Петров"]}])  # fmt: skip
    petrov, ivanov = world.client(surname="Петров"), world.client(surname="Иванов")
    for client in (petrov, ivanov):
        world.boss.edit_tags(client, TagEdit(add=["new"]))
    world.run()
    assert world.boss.open_card(petrov).tags == ["moscow", "new"]
    assert world.boss.open_card(ivanov).tags == ["new"]


def test_no_rules_queue_no_jobs(world: World) -> None:
    client = world.client()
    world.boss.edit_tags(client, TagEdit(add=["vip"]))
    assert world.crm.count("job", kind="automation.event") == 0


def test_a_manual_deposit_fires_when_it_is_executed_in_the_queue(crm, world: World) -> None:  # type: ignore[no-untyped-def]
    from core.trading.inputs import Decision

    world.rule({"kind": "deposit", "amount": "1000.00", "currency": "USD"}, [{"kind": "tag", "tag": "depositor"}])
    client = world.client()
    world.boss.trading_config = TradingConfig(online_timeout_s=120)
    now = crm.clock.now()
    world.boss.apply_event(event("real_account", client, now, account="Q-1", currency="USD"))
    world.boss.apply_event(event("deposit", client, now, account="Q-1", currency="USD", amount=Decimal("1500"),
                                 payment_system="Bank wire", status="requested", manual=True))  # fmt: skip
    world.run()
    assert world.firings() == 0  # pending: nothing executed yet
    (request,) = world.boss.trading(client).requests
    world.boss.decide_request(request.id, Decision(action="execute"))
    world.run()
    assert world.boss.open_card(client).tags == ["depositor"]
