"""The broker's side: the card's trading tab (C13-C15), trades, the money-request queue (M3), and
`POST /events`, the platform's webhook (I4), authenticated by its HMAC signature, not a token."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from api.deps import SignedInConsole, State
from api.errors import responses
from core.console import LocalConsole
from core.errors import ValidationFailed
from core.settings import load_settings
from core.shapes import MAX_ID
from core.trading import signing
from core.trading.inputs import Decision
from core.trading.models import (
    CabinetRegistration,
    EventOutcome,
    MoneyRequest,
    PlatformEvent,
    Pulse,
    TradePage,
    TradingView,
)
from core.trading.operations import MAX_PULSE_IDS

router = APIRouter(tags=["trading"], responses=responses(403, 404))
events = APIRouter(tags=["events"])
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
Status = Literal["pending", "executed", "rejected", "failed", "all"]


@lru_cache(maxsize=1)
def events_settings() -> tuple[str, int]:
    """(the shared secret, the timestamp tolerance in seconds) of the server's settings."""
    settings = load_settings()
    return settings.events_secret, settings.events_tolerance_s


@router.get("/clients/{client_id}/trading", response_model=TradingView)
def trading(client_id: ObjectId, console: SignedInConsole) -> TradingView:
    """C13-C15: lifecycle, online mark, trading accounts (low balance marked), the client's money requests."""
    return console.trading(client_id)


@router.get("/trading/accounts/{account_id}/trades", response_model=TradePage)
def trades(
    account_id: ObjectId,
    console: SignedInConsole,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    open_only: bool = False,
) -> TradePage:
    """C15: the account's trades, newest first, one page; `open_only`: the open positions."""
    return console.trades(account_id, offset, limit, open_only)


@router.get("/trading/pulse", response_model=Pulse, responses=responses(422))
def pulse(
    console: SignedInConsole,
    ids: Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]], Query(max_length=MAX_PULSE_IDS)] = [],  # noqa: B006
    queue: bool = False,
) -> Pulse:
    """The live card's poll, every few seconds: version, lifecycle and online of the clients shown
    (those the reader may see); `queue`: the pending queue's token (the execute-payments permission)."""
    return console.pulse(ids, queue)


@router.get("/trading/requests", response_model=list[MoneyRequest])
def money_requests(
    console: SignedInConsole, status: Status = "pending", limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[MoneyRequest]:
    """M3: the queue, oldest first (the execute-payments permission)."""
    return console.money_requests(None if status == "all" else status, limit)


@router.post("/trading/requests/{request_id}/decision", response_model=MoneyRequest, responses=responses(409, 422))
def decide(request_id: ObjectId, decision: Decision, console: SignedInConsole) -> MoneyRequest:
    """M3: execute, or reject with a reason (the client gets an SMS and an e-mail); 409 if it is not pending any more."""
    return console.decide_request(request_id, decision)


@router.post("/clients/{client_id}/cabinet", response_model=CabinetRegistration, responses=responses(409, 422))
def register_in_cabinet(client_id: ObjectId, console: SignedInConsole) -> CabinetRegistration:
    """M2: register a Lead with an e-mail in the client cabinet; the password goes by e-mail only."""
    return console.register_in_cabinet(client_id)


def _inlined(schema: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local `$ref`s replaced by their definitions (the body is read raw, so
    FastAPI does not list the event's model among the document's components)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inlined(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inlined(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inlined(v, defs) for v in schema]
    return schema


_SCHEMA = PlatformEvent.model_json_schema()
_EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inlined(_SCHEMA, _SCHEMA.get("$defs", {}))}},
    }
}


@events.post("/events", response_model=EventOutcome, responses=responses(401, 422), openapi_extra=_EVENT_BODY)
async def receive(request: Request, state: State) -> EventOutcome:
    """I4: one platform event. Headers `X-CRM-Timestamp` (Unix seconds, fresh within the tolerance)
    and `X-CRM-Signature: sha256=<HMAC-SHA256 of "<timestamp>." + the raw body>`; a bad signature or
    a stale timestamp is 401 with nothing written. An event id seen before answers `duplicate`."""
    body = await request.body()
    secret, tolerance = events_settings()
    signing.verify(
        secret,
        request.headers.get(signing.TIMESTAMP_HEADER),
        request.headers.get(signing.SIGNATURE_HEADER),
        body,
        state.clock.now(),
        tolerance,
    )
    try:
        event = PlatformEvent.model_validate_json(body)
    except ValueError as exc:
        raise ValidationFailed("Not a platform event.", field="body") from exc
    console = LocalConsole(state.repo, clock=state.clock, phone_region=state.phone_region)
    return await run_in_threadpool(console.apply_event, event)
