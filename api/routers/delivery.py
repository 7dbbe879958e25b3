"""Delivery (I2, I3): a card's SMS and e-mails with their statuses (masking applies)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SignedInConsole
from api.errors import responses
from core.clients.models import OutboxItem
from core.shapes import MAX_ID

router = APIRouter(tags=["delivery"], responses=responses(404))


@router.get("/clients/{client_id}/messages", response_model=list[OutboxItem])
def client_messages(
    client_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    console: SignedInConsole,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[OutboxItem]:
    """The client's SMS and e-mails, newest first: queued, sending, sent, or failed with the reason."""
    return console.client_messages(client_id, limit)
