"""Custody (C17, F3): handing clients to another manager, the duplicates list, comparing and merging.

Each route needs its permission (hand-over or merging, 403 otherwise); every card named, in the
path or the body, obeys the desk rule (404 for another desk's, as if it did not exist)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.deps import SignedInConsole
from api.errors import responses
from core.custody.inputs import HandOver, MergeRequest
from core.custody.models import CardComparison, DuplicateGroup, HandOverResult, Manager, MergeResult
from core.shapes import MAX_ID, Id

router = APIRouter(tags=["custody"], responses=responses(401, 403))

ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="CRM id of the client")]
MergedId = Annotated[int, Path(ge=1, le=MAX_ID, description="CRM id of the card to merge into it")]


class HandOverOne(BaseModel):
    """C17 from the card: the new manager, and the desk when they work several."""

    model_config = {"extra": "forbid"}
    to_employee_id: Id
    desk_id: Id | None = None


@router.get("/hand-over/managers", response_model=list[Manager])
def managers(console: SignedInConsole) -> list[Manager]:
    """Active employees of the employee's desks, whom clients may be handed to."""
    return console.hand_over_managers()


@router.post("/hand-overs", response_model=HandOverResult, responses=responses(404, 422))
def hand_over(body: HandOver, console: SignedInConsole) -> HandOverResult:
    """C17 in bulk: the clients by id and/or every client a search finds, at most 500, in one
    transaction: all of them or none (404 when one is not on the employee's desks)."""
    return console.hand_over(body)


@router.post("/clients/{client_id:int}/hand-over", response_model=HandOverResult, responses=responses(404, 422))
def hand_over_one(client_id: ClientId, body: HandOverOne, console: SignedInConsole) -> HandOverResult:
    """C17 from the card: recorded on its history (who, when, from whom, to whom)."""
    return console.hand_over(HandOver(to_employee_id=body.to_employee_id, client_ids=[client_id], desk_id=body.desk_id))


@router.get("/duplicates", response_model=list[DuplicateGroup], responses=responses(422))
def duplicates(console: SignedInConsole, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[DuplicateGroup]:
    """F3: cards flagged as possible duplicates (newest first) with the cards of the employee's desks they match."""
    return console.duplicate_groups(limit)


@router.get(
    "/clients/{client_id:int}/merge/{merged_id:int}", response_model=CardComparison, responses=responses(404, 422)
)
def compare(client_id: ClientId, merged_id: MergedId, console: SignedInConsole) -> CardComparison:
    """F3: the two cards field by field, and how many rows of each kind each brings."""
    return console.compare_cards(client_id, merged_id)


@router.post("/clients/{client_id:int}/merge", response_model=MergeResult, responses=responses(404, 422))
def merge(client_id: ClientId, body: MergeRequest, console: SignedInConsole) -> MergeResult:
    """F3: `merged_id` merges into this card, every row kept; the merged id then opens this card."""
    return console.merge_clients(client_id, body)
