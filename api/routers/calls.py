"""The call (K1-K17): call lists, the next client, the script, result options, the credit
bureau (C11) and saving the result. Campaigns of another desk answer 404 like clients do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel

from api.deps import BindConsole, SignedInConsole
from api.errors import responses
from api.routers.clients import MAX_ID, ClientId, IdempotencyKey
from core.calls.inputs import CallResult, CallState
from core.calls.models import CallListInfo, CallStart, CampaignInfo, CreditDecision, ResultOption, ScriptInfo
from core.clients.models import ClientCard, HistoryEntry
from core.shapes import Day, Id, PassportText

router = APIRouter(tags=["calls"])

CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="id of the campaign")]


class StartCallRequest(BaseModel):
    model_config = {"extra": "forbid"}
    campaign_id: Id
    phone_id: Id | None = None


class OptionsRequest(BaseModel):
    model_config = {"extra": "forbid"}
    campaign_id: Id
    state: CallState | None = None


class CreditRequest(BaseModel):
    model_config = {"extra": "forbid"}
    campaign_id: Id
    state: CallState
    passport_series: PassportText | None = None
    passport_number: PassportText | None = None
    birth_date: Day | None = None


@router.get("/call-lists", response_model=list[CallListInfo])
def call_lists(console: SignedInConsole) -> list[CallListInfo]:
    """The campaigns this employee may work, with how many clients each would hand out now."""
    return console.call_lists()


@router.post(
    "/campaigns/{campaign_id:int}/next-client", response_model=ClientCard | None, responses=responses(403, 404)
)
def next_client(campaign_id: CampaignId, console: SignedInConsole) -> ClientCard | None:
    """K16: takes the next client of the list for this employee (due call-backs first); null when empty."""
    return console.next_client(campaign_id)


@router.get("/campaigns/{campaign_id:int}/script", response_model=ScriptInfo, responses=responses(403, 404))
def script(campaign_id: CampaignId, console: SignedInConsole) -> ScriptInfo:
    return console.script(campaign_id)


@router.get("/clients/{client_id:int}/campaigns", response_model=list[CampaignInfo], responses=responses(404))
def campaigns_for(client_id: ClientId, console: SignedInConsole) -> list[CampaignInfo]:
    return console.campaigns_for(client_id)


def _json(shape: BaseModel, status_code: int = status.HTTP_200_OK) -> Response:
    """The answer the console built, as JSON: FastAPI does not validate it a second time."""
    return Response(shape.model_dump_json(), status_code=status_code, media_type="application/json")


@router.post("/clients/{client_id:int}/calls/start", response_model=CallStart, responses=responses(403, 404))
async def start_call(client_id: ClientId, body: StartCallRequest, console: BindConsole) -> Response:
    """Starts a call of a listed client; the client leaves other operators' lists meanwhile."""
    return _json(await console.run(lambda c: c.start_call(client_id, body.campaign_id, body.phone_id)))


@router.post("/clients/{client_id:int}/calls/options", response_model=list[ResultOption], responses=responses(403, 404))
def result_options(client_id: ClientId, body: OptionsRequest, console: SignedInConsole) -> list[ResultOption]:
    """Every result with whether it may be chosen now and why not (reads only)."""
    return console.result_options(client_id, body.campaign_id, body.state)


@router.post(
    "/clients/{client_id:int}/calls/credit-decision", response_model=CreditDecision, responses=responses(403, 404)
)
def credit_decision(client_id: ClientId, body: CreditRequest, console: SignedInConsole) -> CreditDecision:
    return console.credit_decision(
        client_id, body.campaign_id, body.state, body.passport_series, body.passport_number, body.birth_date
    )


@router.post(
    "/calls",
    response_model=HistoryEntry,
    status_code=status.HTTP_201_CREATED,
    responses=responses(403, 404, 409),
)
async def save_call(call: CallResult, console: BindConsole, idempotency_key: IdempotencyKey = None) -> Response:
    """K15: the call, follow-up, booking, visit SMS and do-not-disturb in one transaction.

    409 `slot_full` when the visiting time filled up meanwhile; 409 `conflict` on a stale state.
    """
    entry = await console.run(lambda c: c.save_call(call, idempotency_key))
    return _json(entry, status.HTTP_201_CREATED)
