"""What employees send to hand clients over and to merge two cards, with their limits (core.shapes)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.shapes import Id, Shape, text

HAND_OVER_CAP = 500  # clients of one bulk hand-over (one transaction); README "Hand-over and duplicates"


class HandOver(Shape):
    """C17: the clients (`client_ids`, or every client found by `query`) go to `to_employee_id`.

    `desk_id`: the desk they move to when the new manager is not on their desk already; needed only
    when the new manager works several desks the sender sees."""

    to_employee_id: Id
    client_ids: list[Id] = Field(default_factory=list, max_length=HAND_OVER_CAP)
    query: text(200) | None = None  # type: ignore[valid-type]
    desk_id: Id | None = None


Side = Literal["survivor", "merged"]
MergeField = Literal[
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "client_type",
    "lifecycle",
    "place",  # region and town together
    "passport",  # series and number together
    "language",
    "do_not_disturb",
    "referrer",
]


class MergeRequest(Shape):
    """F3: `merged_id` is merged into the survivor; `keep` names, per differing field, the side whose
    value survives (the survivor's by default)."""

    merged_id: Id
    keep: dict[MergeField, Side] = Field(default_factory=dict)
