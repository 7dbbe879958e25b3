"""The custody area's part of the Console port: handing clients over (C17), merging duplicates (F3)."""

from __future__ import annotations

from typing import Protocol

from core.custody.inputs import HandOver, MergeRequest
from core.custody.models import CardComparison, DuplicateGroup, HandOverResult, Manager, MergeResult


class CustodyPort(Protocol):
    def hand_over_managers(self) -> list[Manager]:
        """Active employees of the reader's desks, whom clients may be handed to."""
        ...

    def hand_over(self, request: HandOver) -> HandOverResult:
        """C17: the clients go to another manager, all or none (at most `HAND_OVER_CAP`)."""
        ...

    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]: ...
    def compare_cards(self, survivor_id: int, merged_id: int) -> CardComparison: ...
    def merge_clients(self, survivor_id: int, request: MergeRequest) -> MergeResult:
        """F3: every row of `request.merged_id` moves to the survivor; the merged id opens the survivor."""
        ...
