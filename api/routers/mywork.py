"""'My work' (issue 12): today for the token's employee, of their desks only (core.mywork)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SignedInConsole
from api.errors import responses
from core.mywork.models import MyWork
from core.mywork.rules import SECTION_DEFAULT, SECTION_MAX

router = APIRouter(tags=["my work"], responses=responses(401, 403))


@router.get("/my-work", response_model=MyWork, responses=responses(422))
def my_work(
    console: SignedInConsole,
    zone: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=SECTION_MAX)] = SECTION_DEFAULT,
) -> MyWork:
    """Overdue and due-today actions, call-backs I promised, my tasks, tasks to check, my clients
    online: each section's count and first rows. `zone`: my IANA time zone (default: the server's)."""
    return console.my_work(zone, limit)
