"""Once per rule and event: a job run twice, a crash between the claim and the completion, two
workers; the rules checked before they are saved; the permission."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.automation.firing import EVENT_JOB, run_event
from core.automation.rules import Event, Trigger
from core.errors import PermissionDenied, ValidationFailed
from core.jobs import rules as job_rules
from core.jobs.models import JobStatus, NewJob
from core.jobs.worker import Worker
from core.work.inputs import TagEdit
from tests.automation.world import World
from tests.helpers import Crm

TAG = [{"kind": "tag", "tag": "seen"}, {"kind": "sms", "template": "office_hours"}]


def test_the_same_event_twice_fires_once(world: World) -> None:
    rule = world.rule({"kind": "tag_added", "value": "vip"}, TAG)
    client = world.client()
    event = Event(Trigger.TAG_ADDED, client, "tag:x", world.crm.clock.now(), "vip")
    for _ in range(2):  # the same event queued twice (a replayed job)
        world.crm.repo.enqueue_job(NewJob(kind=EVENT_JOB, payload=event.payload()), world.crm.clock.now())
    assert world.run() >= 2  # and the event of the tag the rule added
    assert world.firings(rule.id) == 1
    assert world.crm.count("sms_outbox", client_id=client) == 1
    assert len(world.history(client)) == 1


def test_a_crash_after_the_claim_leaves_nothing_and_the_retry_fires_once(world: World) -> None:
    world.rule({"kind": "tag_added", "value": "vip"}, [{"kind": "sms", "template": "office_hours"}])
    client = world.client()
    world.boss.edit_tags(client, TagEdit(add=["vip"]))
    crm = world.crm
    # a worker claims the job and dies before completing it: nothing of the effect is written
    (claimed,) = crm.repo.claim_jobs("dead", crm.clock.now(), job_rules.LEASE, 10)
    assert world.firings() == 0

    def crash(repo) -> None:  # type: ignore[no-untyped-def]
        run_event(repo, Event.of(claimed.payload), crm.clock.now())
        raise RuntimeError("killed between the effect and the done mark")

    with pytest.raises(RuntimeError):
        crm.repo.complete_job(claimed, crm.clock.now(), crash)
    assert world.firings() == 0 and crm.count("sms_outbox", client_id=client) == 0  # rolled back together
    assert world.run() == 0  # still leased by the dead worker
    crm.clock.advance(seconds=job_rules.LEASE.total_seconds() + 1)
    assert world.run() == 1  # the lease ran out: taken again
    assert world.firings() == 1 and crm.count("sms_outbox", client_id=client) == 1
    crm.clock.advance(seconds=job_rules.LEASE.total_seconds() + 1)
    assert world.run() == 0 and world.firings() == 1


def test_two_workers_fire_each_event_once(world: World) -> None:
    world.rule({"kind": "tag_added"}, [{"kind": "sms", "template": "office_hours"}])
    clients = [world.client() for _ in range(6)]
    for client in clients:
        world.boss.edit_tags(client, TagEdit(add=["a", "b"]))  # two events each
    one, two = (Worker(world.crm.repo, world.crm.clock, name=n, batch=3) for n in ("w1", "w2"))
    while one.run_once() + two.run_once():
        pass
    assert world.firings() == 12
    assert {len(world.history(c)) for c in clients} == {2}
    assert {world.crm.count("sms_outbox", client_id=c) for c in clients} == {2}
    assert world.crm.repo.list_jobs(JobStatus.FAILED, 10) == []


def test_a_disabled_rule_queues_and_fires_nothing(world: World) -> None:
    rule = world.rule({"kind": "tag_added"}, [{"kind": "tag", "tag": "seen"}])
    world.boss.enable_automation_rule(rule.id, False)
    world.boss.edit_tags(world.client(), TagEdit(add=["a"]))
    assert world.crm.count("job", kind=EVENT_JOB) == 0
    assert world.boss.automation_rule(rule.id).enabled is False


@pytest.mark.parametrize(
    ("trigger", "effects", "conditions", "where", "message"),
    [
        ({"kind": "stage_moved"}, TAG, [], "trigger.kind", "Unknown trigger 'stage_moved'"),
        ({"kind": "lifecycle_changed", "value": "gold"}, TAG, [], "trigger.value", "Unknown lifecycle 'gold'"),
        ({"kind": "action_done", "value": "lunch"}, TAG, [], "trigger.value", "Unknown action type 'lunch'"),
        ({"kind": "result_saved", "value": "maybe"}, TAG, [], "trigger.value", "Unknown call result 'maybe'"),
        ({"kind": "deposit", "amount": "100"}, TAG, [], "trigger.amount", "needs an amount and a currency"),
        ({"kind": "deposit", "amount": "100", "currency": "rub"}, TAG, [], "trigger.currency", "'rub'"),
        ({"kind": "no_contact"}, TAG, [], "trigger.days", "days from 1 to 3650"),
        ({"kind": "tag_added"}, [], [], "effects", "at least one effect"),
        ({"kind": "tag_added"}, [{"kind": "fax"}], [], "effects[0].kind", "Unknown effect 'fax'"),
        ({"kind": "tag_added"}, [{"kind": "sms", "template": "nope"}], [], "effects[0].template", "'nope'"),
        (
            {"kind": "tag_added"},
            [TAG[0], {"kind": "email", "template": "office_hours"}],
            [],
            "effects[1].template",
            "Unknown e-mail template 'office_hours'",
        ),  # an SMS template is no e-mail template
        ({"kind": "tag_added"}, [{"kind": "action", "action_type": "x"}], [], "effects[0].action_type", "'x'"),
        ({"kind": "tag_added"}, [{"kind": "hand_to", "employee_id": 999}], [], "effects[0].employee_id", "999"),
        ({"kind": "tag_added"}, [{"kind": "hand_to"}], [], "effects[0].employee_id", "head of sales"),
        ({"kind": "tag_added"}, [{"kind": "task"}], [], "effects[0].title", "a title"),
        ({"kind": "tag_added"}, [{"kind": "tag", "tag": "a b"}], [], "effects[0].tag", "A tag is"),
        ({"kind": "tag_added"}, TAG, [{"field": "salary", "op": "eq", "values": ["1"]}], "conditions", "'salary'"),
        ({"kind": "tag_added"}, TAG, [{"field": "surname", "op": "between", "values": ["a"]}], "conditions", "2"),
    ],
)
def test_a_rule_is_checked_before_it_is_saved(world: World, trigger, effects, conditions, where, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        world.rule(trigger, effects, conditions)
    assert caught.value.field == where and message in caught.value.message
    assert world.crm.count("automation_rule") == 0


def test_only_employees_with_manage_automation_edit_rules(crm: Crm, world: World) -> None:
    operator = crm.console("op", role="operator")
    with pytest.raises(PermissionDenied):
        operator.automation_rules()
    with pytest.raises(PermissionDenied):
        world.rule({"kind": "tag_added"}, TAG, console=operator)
    supervisor = crm.console("sup", role="supervisor")
    assert world.rule({"kind": "tag_added"}, TAG, console=supervisor).author_id == supervisor.whoami().id


def test_firings_are_listed_for_the_rule_and_the_client(world: World) -> None:
    rule = world.rule({"kind": "tag_added", "value": "vip"}, [{"kind": "tag", "tag": "seen"}], name="Seen")
    client = world.client()
    world.boss.edit_tags(client, TagEdit(add=["vip"]))
    world.run()
    (firing,) = world.boss.automation_firings(rule_id=rule.id)
    assert (firing.rule, firing.client_id, firing.summary) == ("Seen", client, "Rule 'Seen': tag #seen")
    assert world.boss.automation_firings(client_id=client + 1) == []
    world.boss.delete_automation_rule(rule.id)
    assert world.boss.automation_rules() == []
    assert world.history(client) == ["Rule 'Seen': tag #seen"]  # the card keeps what happened
    world.crm.clock.advance(minutes=1)
    assert timedelta(0) < world.crm.clock.now() - firing.at
