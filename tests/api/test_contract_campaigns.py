"""Campaign management in the Console contract, local and remote, on both engines."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from core.calls.campaigns import CampaignSpec, RecyclePlan
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.port import Console
from tests.api.world import World
from tests.call_world import SCRIPTS

SignIn = Callable[[str], Console]
_codes = itertools.count(1)


def test_manage_a_campaign_local_and_remote(sign_in: SignIn, world: World) -> None:
    console, local = sign_in("adm"), world.local("adm")
    code = f"contract_{next(_codes)}"
    made = console.create_campaign(CampaignSpec(code=code, name="C", script=SCRIPTS["halva_cross_sell"]))
    assert made.script_version == 1 and made in local.list_campaigns()
    edited = console.edit_campaign(made.id, CampaignSpec(code=code, name="C2", max_attempts=3))
    assert (edited.name, edited.max_attempts, edited.script_version) == ("C2", 3, 2)
    assert console.campaign_script_version(made.id, 1) == SCRIPTS["halva_cross_sell"]
    assert console.campaign_script_version(made.id, 0) == ""
    assert not console.pause_campaign(made.id).active and console.resume_campaign(made.id).active
    card = world.client("A")
    assert console.add_to_campaign(made.id, [card.id]) == 1
    assert console.recycle_campaign(made.id, RecyclePlan()) == 0
    assert console.remove_from_campaign(made.id, [card.id]) == 1
    with pytest.raises(Conflict, match="exists"):
        console.create_campaign(CampaignSpec(code=code, name="again"))
    with pytest.raises(ValidationFailed, match="The script has problems"):
        console.edit_campaign(made.id, CampaignSpec(code=code, name="C", script="[broken"))


def test_without_the_permission(sign_in: SignIn) -> None:
    with pytest.raises(PermissionDenied, match="Your role may not manage campaigns."):
        sign_in("op_a").list_campaigns()
