"""What hand-over and merging need from a store (`storage.repo_custody`): each is one transaction that
reads the rows the rule needs, asks the rule (a callback of `core.custody.operations`) and writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from core.clients.models import ClientSummary
from core.clients.store import Audit, NewHistory


@dataclass(frozen=True)
class CustodyRow:
    """What a hand-over reads of a client."""

    id: int
    desk_id: int | None
    responsible_id: int | None
    responsible: str | None
    merged_into: int | None


@dataclass(frozen=True)
class HandOverMove:
    client_id: int
    desk_id: int | None
    from_employee_id: int | None
    from_employee: str | None
    entry: NewHistory


@dataclass(frozen=True)
class HandOverPlan:
    to_employee_id: int
    moves: list[HandOverMove]
    employee_id: int
    at: datetime


@dataclass(frozen=True)
class MergeSide:
    """One card of a merge: its own columns, the names they point at, and its rows per table."""

    id: int
    surname: str
    first_name: str
    patronymic: str
    birth_date: date | None
    client_type: str
    lifecycle: str
    region_id: int | None
    region: str | None
    town_id: int | None
    town: str | None
    passport_series: str | None
    passport_number: str | None
    passport_key: str | None
    language: str
    do_not_disturb: bool
    referrer_id: int | None
    referrer: str | None
    referrer_desk_id: int | None
    desk_id: int | None
    desk: str | None
    merged_into: int | None
    personal_version: int
    contact_version: int
    rows: dict[str, int] = field(default_factory=dict)  # core.custody.rules.COUNTED


@dataclass(frozen=True)
class MergePlan:
    values: dict[str, object]  # client columns of the survivor
    audits: list[Audit]  # contact-data change rows of the survivor (C10)
    entry: NewHistory  # "merged" on the survivor's history
    employee_id: int
    at: datetime
    snapshot: str  # the merged-away card's own columns as JSON (the merge record)


MergeDecision = Callable[[MergeSide, MergeSide], MergePlan]
HandOverDecision = Callable[[list[CustodyRow]], HandOverPlan]


class CustodyStore(Protocol):
    def managers(self, desk_ids: list[int] | None) -> list[tuple[int, str, str, list[tuple[int, str]]]]:
        """Active employees of the desks (None: all): (id, login, name, [(desk id, desk name)])."""
        ...

    def hand_over(self, client_ids: list[int], decide: HandOverDecision) -> list[HandOverMove]:
        """Reads the clients (missing ones are left out), applies `decide`'s plan: responsible, desk, the
        history entry and the hand-over record of each, in one transaction."""
        ...

    def duplicate_groups(
        self, desk_ids: list[int] | None, limit: int
    ) -> list[tuple[ClientSummary, list[ClientSummary]]]:
        """Flagged cards of the desks (newest first) and the cards of the desks sharing a phone, the
        passport, or the name and birth date with each."""
        ...

    def merge_sides(self, survivor_id: int, merged_id: int) -> tuple[MergeSide, MergeSide] | None: ...
    def summaries(self, ids: list[int]) -> list[ClientSummary]: ...
    def merge_clients(self, survivor_id: int, merged_id: int, decide: MergeDecision) -> bool:
        """Moves every row of the merged card to the survivor (a phone or e-mail both carry and a
        campaign both are on are kept once), points links and earlier merges at the survivor, marks
        the merged card `merged_into`, writes `decide`'s values, audits, entry and the merge record.
        False when either card is missing."""
        ...
