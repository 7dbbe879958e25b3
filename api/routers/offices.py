"""Offices, their visiting times (O1, O2) and the product catalogue (O4): not desk-scoped."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SignedInConsole
from api.errors import responses
from api.routers.clients import MAX_ID
from core.errors import ValidationFailed
from core.offices.models import Office, OfficeSlot, ProductOption

router = APIRouter(tags=["offices"])

MIN_DAY, MAX_DAY = date(2000, 1, 1), date(2199, 12, 31)
OfficeId = Annotated[int, Path(ge=1, le=MAX_ID, description="id of the office")]


@router.get("/offices", response_model=list[Office])
def offices(
    console: SignedInConsole,
    region_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    town_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    keyword: Annotated[str | None, Query(max_length=200, description="metro station, street, landmark")] = None,
) -> list[Office]:
    return console.offices(region_id, town_id, keyword)


@router.get("/offices/{office_id:int}", response_model=Office, responses=responses(404))
def office(office_id: OfficeId, console: SignedInConsole) -> Office:
    return console.office(office_id)


@router.get("/offices/{office_id:int}/slots", response_model=list[OfficeSlot], responses=responses(404, 422))
def office_slots(
    office_id: OfficeId,
    console: SignedInConsole,
    date_from: Annotated[date, Query(description="the first local day")],
    days: Annotated[int, Query(ge=1, le=60)] = 7,
) -> list[OfficeSlot]:
    if not MIN_DAY <= date_from <= MAX_DAY:
        raise ValidationFailed(f"Choose a day between {MIN_DAY} and {MAX_DAY}.", field="date_from")
    return console.office_slots(office_id, date_from, days)


@router.get("/products", response_model=list[ProductOption])
def products(console: SignedInConsole) -> list[ProductOption]:
    return console.products()
