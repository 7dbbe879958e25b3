"""Campaign management (K16): list, create, edit, pause, resume, the list's members, recycling,
script versions. Every route needs the campaign-management permission (403 otherwise); a campaign
of a desk the employee may not see answers 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import SignedInConsole
from api.errors import responses
from core.calls.campaigns import IDS_MAX, Campaign, CampaignSpec, RecyclePlan
from core.shapes import MAX_ID, Id

router = APIRouter(prefix="/campaigns", tags=["campaigns"], responses=responses(403, 404))
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="id of the campaign")]


class ClientIds(BaseModel):
    model_config = {"extra": "forbid"}
    client_ids: list[Id] = Field(max_length=IDS_MAX)


class Count(BaseModel):
    count: int


@router.get("", response_model=list[Campaign])
def list_campaigns(console: SignedInConsole) -> list[Campaign]:
    """Campaigns of the employee's desks by priority, with their list counts."""
    return console.list_campaigns()


@router.post("", response_model=Campaign, responses=responses(409, 422))
def create(spec: CampaignSpec, console: SignedInConsole) -> Campaign:
    """A new campaign; its script must pass the script check."""
    return console.create_campaign(spec)


@router.put("/{campaign_id:int}", response_model=Campaign, responses=responses(409, 422))
def edit(campaign_id: CampaignId, spec: CampaignSpec, console: SignedInConsole) -> Campaign:
    """Every setting; a changed script becomes the next version."""
    return console.edit_campaign(campaign_id, spec)


@router.post("/{campaign_id:int}/pause", response_model=Campaign)
def pause(campaign_id: CampaignId, console: SignedInConsole) -> Campaign:
    return console.pause_campaign(campaign_id)


@router.post("/{campaign_id:int}/resume", response_model=Campaign)
def resume(campaign_id: CampaignId, console: SignedInConsole) -> Campaign:
    return console.resume_campaign(campaign_id)


@router.post("/{campaign_id:int}/members", response_model=Count)
def add(campaign_id: CampaignId, body: ClientIds, console: SignedInConsole) -> Count:
    """Put clients on the list (of the employee's desks; never do-not-disturb or without an active phone)."""
    return Count(count=console.add_to_campaign(campaign_id, body.client_ids))


@router.post("/{campaign_id:int}/members/remove", response_model=Count)
def remove(campaign_id: CampaignId, body: ClientIds, console: SignedInConsole) -> Count:
    return Count(count=console.remove_from_campaign(campaign_id, body.client_ids))


@router.post("/{campaign_id:int}/recycle", response_model=Count, responses=responses(422))
def recycle(campaign_id: CampaignId, plan: RecyclePlan, console: SignedInConsole) -> Count:
    """Exhausted or chosen-result clients back on the list after the delay."""
    return Count(count=console.recycle_campaign(campaign_id, plan))


@router.get("/{campaign_id:int}/script-version", response_model=str)
def script_version(
    campaign_id: CampaignId, console: SignedInConsole, version: Annotated[int, Query(ge=0, le=MAX_ID)] = 0
) -> str:
    """The text of one version of the campaign's script (0: the current one)."""
    return console.campaign_script_version(campaign_id, version)
