"""The shapes of hand-over and merging (C17, F3): one definition for the console, the API and the CLI."""

from __future__ import annotations

from core.clients.models import ClientCard, ClientSummary
from core.shapes import Shape


class Manager(Shape):
    """An employee a client may be handed to: active, of a desk the reader may see."""

    id: int
    login: str
    full_name: str
    desks: list[str]
    desk_ids: list[int]


class HandedOver(Shape):
    client_id: int
    from_employee: str | None
    desk: str | None


class HandOverResult(Shape):
    to_employee: str
    clients: list[HandedOver]

    @property
    def count(self) -> int:
        return len(self.clients)


class DuplicateGroup(Shape):
    """A card flagged as a possible duplicate and the visible cards it matches (F3)."""

    card: ClientSummary
    matches: list[ClientSummary]


class FieldComparison(Shape):
    field: str  # core.custody.rules.MERGE_FIELDS
    survivor: str | None
    merged: str | None
    differs: bool


class CardComparison(Shape):
    """Two cards side by side, field by field, and how many rows each brings (F3)."""

    survivor_id: int
    merged_id: int
    survivor_desk: str | None
    merged_desk: str | None
    fields: list[FieldComparison]
    survivor_rows: dict[str, int]
    merged_rows: dict[str, int]


class MergeResult(Shape):
    merged_id: int
    card: ClientCard  # the survivor, as its reader sees it
