"""Clients: search, the card, its edits, comments, SMS, the new-client questionnaire; reference data.

Every rule (desk scope, role permissions, S7, masking, versions) is applied by the console the
dependency binds to the token's employee; the routes only translate HTTP.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, status
from pydantic import BaseModel

from api.deps import BindConsole, SignedInConsole
from api.errors import responses
from core.clients.inputs import ContactEdit, NewClient, PersonalEdit, PhoneStrike
from core.clients.models import ClientCard, ClientSummary, HistoryEntry, OutboxItem, Region, SmsTemplate, Town
from core.shapes import MAX_ID, Code, Comment, Id, PhoneText

router = APIRouter(prefix="/clients", tags=["clients"], responses=responses(401))

ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="CRM id of the client")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        pattern=r"^[A-Za-z0-9._:+/=-]+$",
        description=(
            "Makes the request safe to retry: the same key with the same body returns the first answer and "
            "writes nothing more; the same key with another body answers 422 `idempotency_mismatch`."
        ),
    ),
]


class CommentRequest(BaseModel):
    model_config = {"extra": "forbid"}
    text: Comment


class SmsRequest(BaseModel):
    """C4: a template and either a phone of the card (`phone_id`, works on masked phones) or a typed number."""

    model_config = {"extra": "forbid"}
    template_code: Code
    phone_id: Id | None = None
    number: PhoneText | None = None


@router.get("", response_model=list[ClientSummary], responses=responses(422))
async def search(
    console: BindConsole,
    q: Annotated[str, Query(max_length=200, description="Phone in any form, name prefix, CRM id, passport, e-mail")],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[ClientSummary]:
    """Cards of the employee's desks only; masked phones read "Call"."""
    return await console.run(lambda c: c.search(q, limit))


@router.post(
    "", response_model=ClientCard, status_code=status.HTTP_201_CREATED, responses=responses(403, 404, 422, 429)
)
def create_client(
    draft: NewClient, console: SignedInConsole, allow_duplicate: Annotated[bool, Query()] = False
) -> ClientCard:
    """K17 with the F3 duplicate check: a shared phone or passport answers 422 `duplicate` with the
    (masked) `matches` of the employee's desks unless `allow_duplicate`. A match on another desk is
    never shown: empty `matches` and "ask your supervisor"; such checks are audited and limited per
    employee (429 with Retry-After)."""
    return console.create_client(draft, allow_duplicate)


@router.post("/duplicates", response_model=list[ClientSummary], responses=responses(422))
def find_duplicates(draft: NewClient, console: SignedInConsole) -> list[ClientSummary]:
    """Cards of the employee's desks sharing a phone or the passport; other desks are not consulted."""
    return console.find_duplicates(draft)


@router.get("/{client_id:int}", response_model=ClientCard, responses=responses(404))
async def open_card(
    client_id: ClientId, console: BindConsole, history_limit: Annotated[int, Query(ge=0, le=500)] = 50
) -> ClientCard:
    return await console.run(lambda c: c.open_card(client_id, history_limit))


@router.get("/{client_id:int}/history", response_model=list[HistoryEntry], responses=responses(404))
async def history(
    client_id: ClientId,
    console: BindConsole,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[HistoryEntry]:
    """A page of the card's history, newest first: the sign-in and the page in one thread hop and one
    transaction."""
    return await console.run(lambda c: c.history(client_id, offset, limit))


@router.put("/{client_id:int}/personal", response_model=ClientCard, responses=responses(403, 404, 409, 422))
def edit_personal(client_id: ClientId, edit: PersonalEdit, console: SignedInConsole) -> ClientCard:
    """The personal block (S7: only cards of type Internet / Interested / Recommended / Online chat)."""
    return console.edit_personal(client_id, edit)


@router.put("/{client_id:int}/contacts", response_model=ClientCard, responses=responses(403, 404, 409, 422))
def edit_contacts(client_id: ClientId, edit: ContactEdit, console: SignedInConsole) -> ClientCard:
    return console.edit_contacts(client_id, edit)


@router.post("/{client_id:int}/phone-strikes", response_model=ClientCard, responses=responses(403, 404, 409, 422))
def strike_phone(client_id: ClientId, strike: PhoneStrike, console: SignedInConsole) -> ClientCard:
    """C3: strike a phone through with a reason."""
    return console.strike_phone(client_id, strike)


@router.post(
    "/{client_id:int}/comments",
    response_model=HistoryEntry,
    status_code=status.HTTP_201_CREATED,
    responses=responses(403, 404, 422),
)
def add_comment(client_id: ClientId, body: CommentRequest, console: SignedInConsole) -> HistoryEntry:
    return console.add_comment(client_id, body.text)


@router.post(
    "/{client_id:int}/sms",
    response_model=OutboxItem,
    status_code=status.HTTP_201_CREATED,
    responses=responses(403, 404, 409, 422),
)
def send_sms(
    client_id: ClientId, body: SmsRequest, console: SignedInConsole, idempotency_key: IdempotencyKey = None
) -> OutboxItem:
    """C4: queue the SMS and record it in the contact history (I2 outbox)."""
    return console.send_sms(client_id, body.template_code, body.number, body.phone_id, idempotency_key)


# --- reference data: regions, towns, SMS templates (no /clients prefix) ---------------------

reference = APIRouter(tags=["reference"], responses=responses(401, 422))


@reference.get("/regions", response_model=list[Region])
def regions(console: SignedInConsole) -> list[Region]:
    return console.regions()


@reference.get("/regions/{region_id:int}/towns", response_model=list[Town], responses=responses(404))
def towns(region_id: Annotated[int, Path(ge=1, le=MAX_ID)], console: SignedInConsole) -> list[Town]:
    """Towns of a region (an unknown region has none); not desk-scoped: reference data."""
    return console.towns(region_id)


@reference.get("/sms-templates", response_model=list[SmsTemplate])
def sms_templates(console: SignedInConsole) -> list[SmsTemplate]:
    return console.sms_templates()
