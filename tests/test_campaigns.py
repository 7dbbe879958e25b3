"""K16 campaign management: script versions, per-campaign retry caps, the list rules after recycling."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.calls.campaigns import CampaignSpec, RecyclePlan
from core.calls.inputs import CallState
from core.calls.rules import RETRY_FIRST, MemberState
from core.console import LocalConsole
from core.errors import NotFound, PermissionDenied, ValidationFailed
from tests.call_world import SCRIPTS, add_member, client, member, set_dnd, strike_all_phones
from tests.helpers import Crm
from tests.save_world import World

HALVA = SCRIPTS["halva_cross_sell"]


def spec(**kw: object) -> CampaignSpec:
    values: dict[str, object] = {"code": "spring", "name": "Spring", "desk_id": 1, "script": HALVA, **kw}
    return CampaignSpec(**values)  # type: ignore[arg-type]


def test_create_edit_pause_resume_and_script_versions(console: LocalConsole) -> None:
    desk = console.whoami().desk_ids[0]
    with pytest.raises(ValidationFailed, match="The script has problems"):
        console.create_campaign(spec(desk_id=desk, script="[broken"))
    made = console.create_campaign(spec(desk_id=desk, max_attempts=2, call_start="09:00", call_end="18:00"))
    assert (made.active, made.script_version, made.max_attempts) == (True, 1, 2)
    changed = HALVA.replace("name =", "name = 'v2' #", 1) if "name =" in HALVA else HALVA + "\n# v2\n"
    edited = console.edit_campaign(made.id, spec(desk_id=desk, script=changed, priority=5))
    assert (edited.script_version, edited.priority) == (2, 5)
    assert console.campaign_script_version(made.id, 1) == HALVA  # a call started on version 1 reads it
    assert console.campaign_script_version(made.id, 2) == changed
    same = console.edit_campaign(made.id, spec(desk_id=desk, script=changed, name="Spring 2"))
    assert same.script_version == 2  # an unchanged text is no new version
    assert not console.pause_campaign(made.id).active
    assert console.resume_campaign(made.id).active
    assert [c.code for c in console.list_campaigns()] == ["spring"]
    with pytest.raises(ValidationFailed, match="end before they start"):
        console.edit_campaign(made.id, spec(desk_id=desk, call_start="18:00", call_end="09:00"))


def test_managing_needs_the_permission(crm: Crm) -> None:
    operator = crm.console("op", role="operator")
    with pytest.raises(PermissionDenied, match="may not manage campaigns"):
        operator.list_campaigns()


def test_the_retry_cap_is_per_campaign(crm: Crm) -> None:
    world = World(crm, role="administration")  # the campaign of every desk stays so
    world.console.edit_campaign(world.campaign, spec(code="halva_cross_sell", desk_id=None, max_attempts=2,
                                                     retry_first_min=30))  # fmt: skip
    client_id = world.client()
    world.console.save_call(world.call(client_id, "not_reached", reason="no_answer"))
    first = member(crm, world.campaign, client_id)
    assert first.state == MemberState.RETRY and first.attempts == 1
    assert first.next_call_at - crm.clock.now() < RETRY_FIRST  # 30 minutes, not the default 2 hours
    world.console.save_call(world.call(client_id, "not_reached", reason="no_answer"))
    assert member(crm, world.campaign, client_id).state == MemberState.EXHAUSTED  # the cap of 2, not 5


def test_recycling_never_brings_back_a_dnd_client_or_a_struck_phone(crm: Crm, console: LocalConsole) -> None:
    desk = console.whoami().desk_ids[0]
    campaign = console.create_campaign(spec(desk_id=desk)).id
    ok, dnd, struck, done = (client(console).id for _ in range(4))
    for cid in (ok, dnd, struck):
        add_member(crm, campaign, cid, state="exhausted", attempts=5)
    add_member(crm, campaign, done, state="done")
    set_dnd(crm, dnd)
    strike_all_phones(crm, struck)
    back = console.recycle_campaign(campaign, RecyclePlan(exhausted=True, delay_min=60))
    assert back == 1
    again = member(crm, campaign, ok)
    assert (again.state, again.attempts) == (MemberState.RETRY, 0)
    assert again.next_call_at == crm.clock.now() + timedelta(minutes=60)
    assert member(crm, campaign, dnd).state == MemberState.EXHAUSTED
    assert member(crm, campaign, struck).state == MemberState.EXHAUSTED
    assert member(crm, campaign, done).state == MemberState.DONE  # no result chosen
    with pytest.raises(ValidationFailed, match="Unknown result"):
        console.recycle_campaign(campaign, RecyclePlan(exhausted=False, results=["nonsense"]))


def test_recycling_chosen_results(crm: Crm) -> None:
    world = World(crm)
    refused, agreed_later = world.client(), world.client()
    talked = CallState(answers=[1, 1, 3], objections=["credit_fear"])
    world.console.save_call(world.call(refused, "refused", reason="no_need", state=talked))
    assert member(crm, world.campaign, refused).state == MemberState.DONE
    assert world.console.recycle_campaign(world.campaign, RecyclePlan(exhausted=False, results=["refused"])) == 1
    assert member(crm, world.campaign, refused).state == MemberState.RETRY
    assert member(crm, world.campaign, agreed_later).state == MemberState.NEW


def test_the_list_filled_by_ids_and_clients_removed(crm: Crm, console: LocalConsole) -> None:
    desk = console.whoami().desk_ids[0]
    campaign = console.create_campaign(spec(desk_id=desk)).id
    ok, dnd, struck = (client(console).id for _ in range(3))
    set_dnd(crm, dnd)
    strike_all_phones(crm, struck)
    assert console.add_to_campaign(campaign, [ok, dnd, struck, ok]) == 1
    assert console.add_to_campaign(campaign, [ok]) == 0  # already on the list
    assert console.list_campaigns()[0].members == 1
    assert console.remove_from_campaign(campaign, [ok]) == 1
    with pytest.raises(NotFound):
        console.add_to_campaign(2**31 - 1, [ok])


def test_a_call_started_on_a_script_version_saves_against_it(crm: Crm) -> None:
    world = World(crm, role="administration")  # the campaign of every desk stays so
    manage = world.console
    manage.edit_campaign(world.campaign, spec(code="halva_cross_sell", desk_id=None, script=HALVA + "\n# v1\n"))
    first, second = world.client(), world.client()
    started = manage.start_call(first, world.campaign)
    assert started.script is not None and started.script.version == 1
    manage.edit_campaign(world.campaign, spec(code="halva_cross_sell", desk_id=None, script=SCRIPTS["pension_club"]))
    assert manage.script(world.campaign).version == 2
    call = world.agreed(first).model_copy(update={"script_version": 1})
    assert manage.save_call(call).result == "agreed"  # the halva path of version 1 holds
    with pytest.raises(ValidationFailed):  # the same answers against the current (pension) script
        manage.save_call(world.agreed(second))


def test_retries_keep_the_campaigns_calling_hours(crm: Crm) -> None:
    world = World(crm, role="administration")  # T0 is 12:00 in Moscow; a campaign of every desk
    world.console.edit_campaign(world.campaign, spec(code="halva_cross_sell", desk_id=None, call_start="11:00",
                                                     call_end="13:00", retry_first_min=90))  # fmt: skip
    client_id = world.client()
    world.console.save_call(world.call(client_id, "not_reached", reason="no_answer"))
    # 13:30 is past the campaign's hours: the next morning at their start, 11:00 Moscow (08:00 UTC)
    assert member(crm, world.campaign, client_id).next_call_at == crm.clock.now() + timedelta(hours=23)


def test_the_list_health_per_campaign(crm: Crm, console: LocalConsole) -> None:
    """Fresh, retry, exhausted and do-not-disturb counts as the floor counts them (a DND client on
    the list counts apart from fresh and retries), one campaign or the list, on every engine."""
    from tests.statements import counting

    desk = console.whoami().desk_ids[0]
    campaign = console.create_campaign(spec(desk_id=desk)).id
    other = console.create_campaign(spec(code="autumn", name="Autumn", desk_id=desk)).id
    fresh, quiet, again, spent, done = (client(console).id for _ in range(5))
    add_member(crm, campaign, fresh)
    add_member(crm, campaign, quiet)
    add_member(crm, campaign, again, state="retry", attempts=1)
    add_member(crm, campaign, spent, state="exhausted", attempts=5)
    add_member(crm, campaign, done, state="done")
    add_member(crm, other, fresh)
    set_dnd(crm, quiet)
    with counting(crm.engine) as count:
        listed = {c.id: c for c in console.list_campaigns()}
    assert len(count.statements) <= (3 if crm.engine_name == "sqlite" else 2), str(count)  # the list, its counts
    health = {i: (c.fresh, c.retries, c.exhausted, c.do_not_disturb, c.members, c.off_list) for i, c in listed.items()}
    assert health[campaign] == (1, 1, 1, 1, 3, 2)
    assert health[other] == (1, 0, 0, 0, 1, 0)
    one = console.pause_campaign(campaign)  # one campaign read by its id
    assert (one.fresh, one.retries, one.exhausted, one.do_not_disturb) == (1, 1, 1, 1)
