"""The pipeline's part of the remote Console (`core.work.port.WorkPort` over HTTP), mixed into
`storage.remote.RemoteConsole`."""

from __future__ import annotations

from core.work.inputs import ActionTypeDraft, ListQuery, NewAction, TagEdit, ViewDraft
from core.work.models import Action, ActionPage, ActionType, ClientPage, Tag, TagChange, View
from storage.remote.base import RemoteBase, _id


class RemoteWork(RemoteBase):
    """Actions, lists, views and tags."""

    def action_types(self) -> list[ActionType]:
        return self._get("/action-types", list[ActionType])

    def save_action_type(self, draft: ActionTypeDraft) -> ActionType:
        return self._send("PUT", "/action-types", ActionType, draft)

    def add_action(self, client_id: int, action: NewAction) -> Action:
        return self._send("POST", f"/clients/{_id(client_id)}/actions", Action, action)

    def mark_action(self, action_id: int, done: bool = True) -> Action:
        return self._send("POST", f"/actions/{_id(action_id)}/done", Action, {"done": done})

    def client_actions(self, client_id: int) -> list[Action]:
        return self._get(f"/clients/{_id(client_id)}/actions", list[Action])

    def list_actions(self, query: ListQuery) -> ActionPage:
        return self._send("POST", "/lists/actions", ActionPage, query, retries=1)

    def list_clients(self, query: ListQuery) -> ClientPage:
        return self._send("POST", "/lists/clients", ClientPage, query, retries=1)

    def count_actions(self, query: ListQuery) -> int:
        return self._send("POST", "/lists/actions/count", dict, query, retries=1)["count"]

    def count_clients(self, query: ListQuery) -> int:
        return self._send("POST", "/lists/clients/count", dict, query, retries=1)["count"]

    def views(self, subject: str | None = None) -> list[View]:
        if subject is None:
            return self._get("/views", list[View])
        return self._get("/views", list[View], subject=subject)

    def save_view(self, draft: ViewDraft, view_id: int | None = None) -> View:
        if view_id is None:
            return self._send("POST", "/views", View, draft)
        return self._send("PUT", f"/views/{_id(view_id)}", View, draft)

    def delete_view(self, view_id: int) -> None:
        self._request("DELETE", f"/views/{_id(view_id)}")

    def view_query(self, view_id: int, offset: int = 0, limit: int = 50) -> ListQuery:
        return self._get(f"/views/{_id(view_id)}/query", ListQuery, offset=offset, limit=limit)

    def view_ids(self, view_id: int, after_id: int = 0, limit: int = 500) -> list[int]:
        return self._get(f"/views/{_id(view_id)}/ids", list[int], after_id=after_id, limit=limit)

    def tags(self) -> list[Tag]:
        return self._get("/tags", list[Tag])

    def edit_tags(self, client_id: int, edit: TagEdit) -> list[str]:
        return self._send("POST", f"/clients/{_id(client_id)}/tags", list[str], edit)

    def tag_view(self, view_id: int, tag: str, remove: bool = False) -> TagChange:
        return self._send("POST", f"/views/{_id(view_id)}/tags", TagChange, {"tag": tag, "remove": remove})
