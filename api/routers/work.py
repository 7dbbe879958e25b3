"""The manager's pipeline (M4, M5, M7): action types and actions, lists and saved views over
clients and actions, tags.

Every rule (the desk rule, permissions, the view whitelist) is applied by the console bound to the
token's employee; an action or client of another desk answers 404, and lists never hold one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel

from api.deps import SignedInConsole
from api.errors import responses
from core.shapes import MAX_ID, Flag
from core.work.inputs import ActionTypeDraft, ListQuery, NewAction, TagEdit, TagText, ViewDraft
from core.work.models import Action, ActionPage, ActionType, ClientPage, Tag, TagChange, View

router = APIRouter(tags=["work"], responses=responses(401))

ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="CRM id of the client")]
ActionId = Annotated[int, Path(ge=1, le=MAX_ID)]
ViewId = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=500)]


class Count(BaseModel):
    count: int


class DoneRequest(BaseModel):
    model_config = {"extra": "forbid"}
    done: Flag = True


class TagViewRequest(BaseModel):
    model_config = {"extra": "forbid"}
    tag: TagText  # type: ignore[valid-type]
    remove: Flag = False


# --- actions (M4) -------------------------------------------------------------------------------


@router.get("/action-types", response_model=list[ActionType])
def action_types(console: SignedInConsole) -> list[ActionType]:
    """The funnel stages in their order; inactive ones take no new actions."""
    return console.action_types()


@router.put("/action-types", response_model=ActionType, responses=responses(403, 422))
def save_action_type(draft: ActionTypeDraft, console: SignedInConsole) -> ActionType:
    """Creates or updates (by code) a funnel stage; administrators only."""
    return console.save_action_type(draft)


@router.get("/clients/{client_id}/actions", response_model=list[Action], responses=responses(404))
def client_actions(client_id: ClientId, console: SignedInConsole) -> list[Action]:
    """The client's actions, due last first."""
    return console.client_actions(client_id)


@router.post(
    "/clients/{client_id}/actions",
    response_model=Action,
    status_code=status.HTTP_201_CREATED,
    responses=responses(403, 404, 422),
)
def add_action(client_id: ClientId, action: NewAction, console: SignedInConsole) -> Action:
    """A planned step: its type, due time and employee (default: me)."""
    return console.add_action(client_id, action)


@router.post("/actions/{action_id}/done", response_model=Action, responses=responses(403, 404))
def mark_action(action_id: ActionId, body: DoneRequest, console: SignedInConsole) -> Action:
    """Marks the action done (or open again)."""
    return console.mark_action(action_id, body.done)


@router.post("/lists/actions", response_model=ActionPage, responses=responses(422))
def list_actions(query: ListQuery, console: SignedInConsole) -> ActionPage:
    """The Actions table over every client of my desks: conditions, sort, one page; overdue marked."""
    return console.list_actions(query)


@router.post("/lists/actions/count", response_model=Count, responses=responses(422))
def count_actions(query: ListQuery, console: SignedInConsole) -> Count:
    return Count(count=console.count_actions(query))


# --- clients' lists and views (M5) --------------------------------------------------------------


@router.post("/lists/clients", response_model=ClientPage, responses=responses(422))
def list_clients(query: ListQuery, console: SignedInConsole) -> ClientPage:
    """Clients of my desks matching the conditions; one page."""
    return console.list_clients(query)


@router.post("/lists/clients/count", response_model=Count, responses=responses(422))
def count_clients(query: ListQuery, console: SignedInConsole) -> Count:
    return Count(count=console.count_clients(query))


@router.get("/views", response_model=list[View], responses=responses(422))
def views(
    console: SignedInConsole, subject: Annotated[str | None, Query(max_length=7, pattern="^(clients|actions)$")] = None
) -> list[View]:
    """My own views and the shared ones, in name order: the tabs of a list."""
    return console.views(subject)


@router.post("/views", response_model=View, status_code=status.HTTP_201_CREATED, responses=responses(403, 422))
def save_view(draft: ViewDraft, console: SignedInConsole) -> View:
    """A new view; its conditions are checked before it is saved. Sharing needs the all-desks permission."""
    return console.save_view(draft)


@router.put("/views/{view_id}", response_model=View, responses=responses(403, 404, 422))
def update_view(view_id: ViewId, draft: ViewDraft, console: SignedInConsole) -> View:
    return console.save_view(draft, view_id)


@router.delete("/views/{view_id}", status_code=status.HTTP_204_NO_CONTENT, responses=responses(403, 404))
def delete_view(view_id: ViewId, console: SignedInConsole) -> None:
    console.delete_view(view_id)


@router.get("/views/{view_id}/query", response_model=ListQuery, responses=responses(404))
def view_query(view_id: ViewId, console: SignedInConsole, offset: Offset = 0, limit: Limit = 50) -> ListQuery:
    """The view as a list query, for `/lists/…`."""
    return console.view_query(view_id, offset, limit)


@router.get("/views/{view_id}/ids", response_model=list[int], responses=responses(404))
def view_ids(
    view_id: ViewId,
    console: SignedInConsole,
    after_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Limit = 500,
) -> list[int]:
    """Ids of the view's rows above `after_id`, in id order: the input of campaigns, hand-over, export."""
    return console.view_ids(view_id, after_id, limit)


# --- tags (M7) -----------------------------------------------------------------------------------


@router.get("/tags", response_model=list[Tag])
def tags(console: SignedInConsole) -> list[Tag]:
    """Tags in use on my desks' clients, with how many carry each."""
    return console.tags()


@router.post("/clients/{client_id}/tags", response_model=list[str], responses=responses(403, 404, 422))
def edit_tags(client_id: ClientId, edit: TagEdit, console: SignedInConsole) -> list[str]:
    """Adds and removes tags on the card; answers its tags."""
    return console.edit_tags(client_id, edit)


@router.post("/views/{view_id}/tags", response_model=TagChange, responses=responses(403, 404, 422))
def tag_view(view_id: ViewId, body: TagViewRequest, console: SignedInConsole) -> TagChange:
    """The tag added to (or removed from) every client of a view of clients."""
    return console.tag_view(view_id, body.tag, body.remove)
