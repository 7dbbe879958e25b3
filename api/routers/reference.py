"""Reference data: regions, towns, SMS templates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import SignedInConsole
from api.errors import responses
from api.routers.clients import MAX_ID
from core.clients.models import Region, SmsTemplate, Town

router = APIRouter(tags=["reference"], responses=responses(401, 422))


@router.get("/regions", response_model=list[Region])
def regions(console: SignedInConsole) -> list[Region]:
    return console.regions()


@router.get("/regions/{region_id:int}/towns", response_model=list[Town], responses=responses(404))
def towns(region_id: Annotated[int, Path(ge=1, le=MAX_ID)], console: SignedInConsole) -> list[Town]:
    """Towns of a region (an unknown region has none); not desk-scoped: reference data."""
    return console.towns(region_id)


@router.get("/sms-templates", response_model=list[SmsTemplate])
def sms_templates(console: SignedInConsole) -> list[SmsTemplate]:
    return console.sms_templates()
