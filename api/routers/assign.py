"""Auto-assignment (M1): the desks' rules for new clients and the managers' regions.

Reading needs a signed-in employee (their desks only without `all_desks`); editing needs `all_desks`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import SignedInConsole
from api.errors import responses
from core.assign.models import AssignRule, RegionsEdit, RuleEdit
from core.shapes import MAX_ID

router = APIRouter(prefix="/assign", tags=["assign"], responses=responses(403))
DeskId = Annotated[int, Path(ge=1, le=MAX_ID)]
EmployeeId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/rules", response_model=list[AssignRule])
def rules(console: SignedInConsole) -> list[AssignRule]:
    """Each desk's rule: off, round_robin or least_loaded, the managers' roles, by region or not."""
    return console.assign_rules()


@router.put("/rules/{desk_id}", response_model=AssignRule, responses=responses(404, 422))
def set_rule(desk_id: DeskId, body: RuleEdit, console: SignedInConsole) -> AssignRule:
    return console.set_assign_rule(desk_id, body)


@router.put("/regions/{employee_id}", status_code=204, responses=responses(404, 422))
def set_regions(employee_id: EmployeeId, body: RegionsEdit, console: SignedInConsole) -> None:
    """The regions a manager serves (rules by region prefer them for clients of those regions)."""
    console.set_manager_regions(employee_id, body)
