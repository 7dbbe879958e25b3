"""Automation's part of the Console contract, local and remote, on both engines: the same rule from
both, checked before it is saved on the server (a 422 naming the part), `manage_automation`
enforced, firings listed. The shared world's server may run its own worker: every rule here
answers only a tag of its own and is deleted at the end."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator

import pytest

from core.automation.inputs import RuleDraft
from core.clock import SystemClock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.jobs.worker import Worker
from core.port import Console
from core.work.inputs import TagEdit
from tests.api.world import World

SignIn = Callable[[str], Console]
_tags = itertools.count(1)


def draft(tag: str, **extra: object) -> RuleDraft:
    values: dict[str, object] = {
        "name": f"On #{tag}",
        "trigger": {"kind": "tag_added", "value": tag},
        "conditions": [{"field": "lifecycle", "op": "eq", "values": ["lead"]}],
        "effects": [{"kind": "tag", "tag": f"{tag}-seen"}, {"kind": "task", "title": "Look at the lead"}],
        **extra,
    }
    return RuleDraft.model_validate(values)


@pytest.fixture
def tag(world: World) -> Iterator[str]:
    key = f"ct{next(_tags)}{world.engine_name[:2]}"
    yield key
    admin = world.local("adm")
    for rule in admin.automation_rules():
        if rule.trigger.value == key:
            admin.delete_automation_rule(rule.id)


def test_a_rule_added_edited_switched_and_deleted_through_the_port(sign_in: SignIn, world: World, tag: str) -> None:
    sup = sign_in("sup")
    rule = sup.add_automation_rule(draft(tag))
    assert rule == world.local("sup").automation_rule(rule.id)
    assert rule.trigger.kind == "tag_added" and [e.kind for e in rule.effects] == ["tag", "task"]
    assert rule.id in [r.id for r in sup.automation_rules()]
    edited = sup.edit_automation_rule(rule.id, draft(tag, name="Renamed"))
    assert (edited.name, edited.created_at) == ("Renamed", rule.created_at)
    assert sup.enable_automation_rule(rule.id, False).enabled is False
    assert sup.enable_automation_rule(rule.id, True).enabled is True
    sup.delete_automation_rule(rule.id)
    with pytest.raises(NotFound):
        sup.automation_rule(rule.id)


def test_a_rule_is_checked_on_the_server(sign_in: SignIn, tag: str) -> None:
    sup = sign_in("sup")
    with pytest.raises(ValidationFailed, match="Unknown SMS template 'nope'") as caught:
        sup.add_automation_rule(draft(tag, effects=[{"kind": "sms", "template": "nope"}]))
    assert caught.value.field == "effects[0].template"
    mail = [{"kind": "tag", "tag": f"{tag}-seen"}, {"kind": "email", "template": "nope"}]
    with pytest.raises(ValidationFailed, match="Unknown e-mail template 'nope'") as caught:
        sup.add_automation_rule(draft(tag, effects=mail))
    assert caught.value.field == "effects[1].template"
    saved = sup.add_automation_rule(draft(tag, effects=[{"kind": "email", "template": "welcome"}]))
    assert [(e.kind, e.template) for e in saved.effects] == [("email", "welcome")]
    sup.delete_automation_rule(saved.id)
    with pytest.raises(ValidationFailed, match="Unknown field 'salary'"):
        sup.add_automation_rule(draft(tag, conditions=[{"field": "salary", "op": "eq", "values": ["1"]}]))
    with pytest.raises(ValidationFailed, match="Unknown trigger"):
        sup.add_automation_rule(draft(tag, trigger={"kind": "moon_phase"}))


def test_only_manage_automation_edits_rules(sign_in: SignIn, world: World, tag: str) -> None:
    rule = world.local("sup").add_automation_rule(draft(tag))
    op = sign_in("op_a")
    for call in (
        op.automation_rules,
        lambda: op.automation_rule(rule.id),
        lambda: op.add_automation_rule(draft(tag)),
        lambda: op.delete_automation_rule(rule.id),
        op.automation_firings,
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_firing_is_listed_and_on_the_card(sign_in: SignIn, world: World, tag: str) -> None:
    sup = sign_in("sup")
    rule = sup.add_automation_rule(draft(tag))
    card = world.client("A")
    world.local("op_a").edit_tags(card.id, TagEdit(add=[tag]))
    worker, pause = Worker(world.crm.repo, SystemClock(), name="contract"), threading.Event()
    for _ in range(200):  # the server's own worker may be the one that runs the job
        worker.run_until_idle()
        if sup.automation_firings(rule_id=rule.id):
            break
        pause.wait(0.05)
    (firing,) = sup.automation_firings(rule_id=rule.id)
    assert firing.client_id == card.id and firing.summary.startswith(f"Rule 'On #{tag}': tag #{tag}-seen; task")
    assert sup.automation_firings(client_id=card.id) == [firing]
    assert [h.comment for h in sup.history(card.id) if h.kind == "automation"] == [firing.summary]
    assert sorted(sup.open_card(card.id).tags) == [tag, f"{tag}-seen"]
