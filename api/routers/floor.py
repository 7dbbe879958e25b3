"""The live floor (issue 14): the whole floor in one read, an employee's calls of today, and the
result form's mark. The floor needs view_floor (403 otherwise); the desk rule applies on the server."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import SignedInConsole
from api.errors import responses
from core.floor.models import Floor, FloorCall, ResultFormOpened
from core.shapes import MAX_ID

router = APIRouter(prefix="/floor", tags=["floor"], responses=responses(403))
EmployeeId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=Floor)
def floor(console: SignedInConsole) -> Floor:
    """Every signed-in employee of my desks (state, today's figures) and every campaign of my desks."""
    return console.floor()


@router.get("/employees/{employee_id}/calls", response_model=list[FloorCall], responses=responses(404))
def calls(employee_id: EmployeeId, console: SignedInConsole) -> list[FloorCall]:
    """The employee's calls of today, newest first; 404 for an employee of another desk."""
    return console.floor_calls(employee_id)


@router.post("/result-form", status_code=204, responses=responses(422))
def result_form(body: ResultFormOpened, console: SignedInConsole) -> None:
    """The operator opened the result form of the call in progress (the floor shows "in the form")."""
    console.mark_result_form(body.client_id)
