"""The rules of hand-over (C17) and of merging duplicate cards (F3), free of any store."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

from core.access.rules import desk_visible
from core.clients.names import latin_key, name_key
from core.clients.store import Audit
from core.custody.inputs import MergeField, Side
from core.custody.models import FieldComparison
from core.custody.store import MergeSide
from core.errors import NotFound, ValidationFailed

MERGE_FIELDS: tuple[str, ...] = get_args(MergeField)
# the rows of other tables a card brings to a merge, as the comparison counts them
COUNTED = (
    "phones",
    "emails",
    "history",
    "products",
    "transactions",
    "changes",
    "campaigns",
    "bookings",
    "sms",
    "linked",
)
HIDDEN = "(another desk)"  # a referrer the reader may not see: only its existence shows
# the client columns each merge field carries
COLUMNS: dict[str, tuple[str, ...]] = {
    "place": ("region_id", "town_id"),
    "passport": ("passport_series", "passport_number", "passport_key"),
    "referrer": ("referrer_id",),
}
# merge fields written to the contact-data change audit (C10) when they change, as core.vocab.ChangeField
AUDITED = {"surname": "surname", "first_name": "first_name", "patronymic": "patronymic", "birth_date": "birth_date"}


def _shown(side: MergeSide, name: str, desks: list[int] | None) -> str | None:
    if name == "place":
        return " / ".join(p for p in (side.region, side.town) if p) or None
    if name == "passport":
        return " ".join(p for p in (side.passport_series, side.passport_number) if p) or None
    if name == "referrer":
        if side.referrer_id is None:
            return None
        return side.referrer if desk_visible(side.referrer_desk_id, desks) else HIDDEN
    value = getattr(side, name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _raw(side: MergeSide, name: str) -> tuple[object, ...]:
    return tuple(getattr(side, c) for c in COLUMNS.get(name, (name,)))


def compare(survivor: MergeSide, merged: MergeSide, desks: list[int] | None) -> list[FieldComparison]:
    """Every merge field of both cards, as the reader may see it, and whether the values differ."""
    return [
        FieldComparison(
            field=name,
            survivor=_shown(survivor, name, desks),
            merged=_shown(merged, name, desks),
            differs=_raw(survivor, name) != _raw(merged, name),
        )
        for name in MERGE_FIELDS
    ]


def check_pair(survivor: MergeSide | None, merged: MergeSide | None, survivor_id: int, merged_id: int) -> None:
    if survivor_id == merged_id:
        raise ValidationFailed("Choose two different cards to merge.", field="merged_id")
    for side, wanted in ((survivor, survivor_id), (merged, merged_id)):
        if side is None or side.merged_into is not None:
            raise NotFound(f"No client with CRM id {wanted}.")


def merged_values(
    survivor: MergeSide, merged: MergeSide, keep: dict[str, Side]
) -> tuple[dict[str, object], list[Audit]]:
    """The survivor's columns after the merge and the audit rows of what changed on it.

    A field taken from the merged card that names the survivor itself (a referrer) is left empty."""
    values: dict[str, object] = {}
    audits: list[Audit] = []
    for name, side in keep.items():
        if side != "merged" or _raw(survivor, name) == _raw(merged, name):
            continue
        for column in COLUMNS.get(name, (name,)):
            values[column] = getattr(merged, column)
        if name in AUDITED:
            audits.append(Audit(AUDITED[name], _shown(survivor, name, None), _shown(merged, name, None), MERGE_REASON))
    if values.get("referrer_id") == survivor.id:
        values["referrer_id"] = None
    if {"surname", "first_name", "patronymic"} & values.keys():
        key = name_key(
            str(values.get("surname", survivor.surname)),
            str(values.get("first_name", survivor.first_name)),
            str(values.get("patronymic", survivor.patronymic)),
        )
        values["name_key"], values["name_latin"] = key, latin_key(key)
    return values, audits


MERGE_REASON = "Merge of duplicate cards"


def merge_comment(survivor_id: int, merged_id: int) -> str:
    """The history line of a merge: ids only (no client data), the same in every language."""
    return f"{merged_id} -> {survivor_id}"


def hand_over_comment(from_name: str | None, to_name: str) -> str:
    """The history line of a hand-over: from whom, to whom (employees' names, never client data)."""
    return f"{from_name or '-'} -> {to_name}"


def hand_over_desk(
    client_desk: int | None, target_desks: list[int], chosen: int | None, reader_desks: list[int] | None
) -> int:
    """The desk a handed-over client ends on: kept when the new manager works it, else the chosen
    one, else the new manager's only desk the sender sees (S4: never a desk the sender may not see)."""
    seen = [d for d in target_desks if desk_visible(d, reader_desks)]
    if chosen is not None:
        if chosen not in seen:
            raise ValidationFailed("The new manager does not work that desk.", field="desk_id")
        if client_desk in target_desks:
            return client_desk  # type: ignore[return-value]
        return chosen
    if client_desk in target_desks:
        return client_desk  # type: ignore[return-value]
    if len(seen) == 1:
        return seen[0]
    if not seen:
        raise NotFound("No such manager on your desks.")
    raise ValidationFailed("The new manager works several desks: choose the desk.", field="desk_id")


def combined_membership(kept: dict[str, object], other: dict[str, object]) -> dict[str, object]:
    """One campaign membership of two cards on the same list: the survivor's, with both cards'
    attempts, the later last call, and the sooner due call while either is still to be called."""
    values: dict[str, object] = {"attempts": int(kept["attempts"] or 0) + int(other["attempts"] or 0)}
    last = [t for t in (kept["last_call_at"], other["last_call_at"]) if isinstance(t, datetime)]
    values["last_call_at"] = max(last) if last else None
    if kept["state"] == "done" and other["state"] != "done":
        values["state"], values["next_call_at"] = other["state"], other["next_call_at"]
    elif kept["state"] != "done" and other["state"] != "done":
        due = [t for t in (kept["next_call_at"], other["next_call_at"]) if isinstance(t, datetime)]
        values["next_call_at"] = min(due) if due else None
    return values
