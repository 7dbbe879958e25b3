"""The floor's part of the remote Console (`core.floor.port.FloorPort` over HTTP), mixed into
`storage.remote.RemoteConsole`."""

from __future__ import annotations

from core.floor.models import Floor, FloorCall
from storage.remote.base import RemoteBase, _id


class RemoteFloor(RemoteBase):
    """The floor's operations."""

    def floor(self) -> Floor:
        return self._get("/floor", Floor)

    def floor_calls(self, employee_id: int) -> list[FloorCall]:
        return self._get(f"/floor/employees/{_id(employee_id)}/calls", list[FloorCall])

    def mark_result_form(self, client_id: int) -> None:
        self._send("POST", "/floor/result-form", None, {"client_id": client_id})
