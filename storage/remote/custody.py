"""Hand-over and merging over HTTP (`core.custody.port.CustodyPort`), mixed into `storage.remote.RemoteConsole`."""

from __future__ import annotations

from core.custody.inputs import HandOver, MergeRequest
from core.custody.models import CardComparison, DuplicateGroup, HandOverResult, Manager, MergeResult
from storage.remote.base import RemoteBase, _id


class RemoteCustody(RemoteBase):
    def hand_over_managers(self) -> list[Manager]:
        return self._get("/hand-over/managers", list[Manager])

    def hand_over(self, request: HandOver) -> HandOverResult:
        return self._send("POST", "/hand-overs", HandOverResult, request)

    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]:
        return self._get("/duplicates", list[DuplicateGroup], limit=max(1, min(limit, 500)))

    def compare_cards(self, survivor_id: int, merged_id: int) -> CardComparison:
        return self._get(f"/clients/{_id(survivor_id)}/merge/{_id(merged_id)}", CardComparison)

    def merge_clients(self, survivor_id: int, request: MergeRequest) -> MergeResult:
        return self._send("POST", f"/clients/{_id(survivor_id)}/merge", MergeResult, request)
