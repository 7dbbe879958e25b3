"""Hand-over and merging of the local Console (C17, F3): permission, the desk rule, masking; the
store applies each in one transaction after asking the rules here (`core.custody.store`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from core.access.acting import Acting
from core.access.rules import Permission, desk_visible
from core.clients.search import plan
from core.clients.store import NewHistory
from core.custody import rules
from core.custody.inputs import HAND_OVER_CAP, HandOver, MergeRequest
from core.custody.models import (
    CardComparison,
    DuplicateGroup,
    HandedOver,
    HandOverResult,
    Manager,
    MergeResult,
)
from core.custody.store import CustodyRow, HandOverMove, HandOverPlan, MergePlan, MergeSide
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.vocab import ContactKind

if TYPE_CHECKING:
    from core.clients.models import ClientCard, ClientSummary

NO_MANAGER = "No such manager on your desks."


class CustodyOperations(Acting):
    """C17 and F3 for `core.console.LocalConsole` (it brings the clients' masking and the card)."""

    if TYPE_CHECKING:

        def _mask_summary(self, summary: ClientSummary) -> ClientSummary: ...
        def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard: ...

    # --- hand-over (C17) --------------------------------------------------------------------

    def hand_over_managers(self) -> list[Manager]:
        self._require(Permission.HAND_OVER, "hand clients over")
        desks = self._desks()
        return [
            Manager(
                id=employee_id,
                login=login,
                full_name=name,
                desk_ids=[d for d, _ in own if desk_visible(d, desks)],
                desks=[n for d, n in own if desk_visible(d, desks)],
            )
            for employee_id, login, name, own in self.repo.managers(desks)
        ]

    def hand_over(self, request: HandOver) -> HandOverResult:
        self._require(Permission.HAND_OVER, "hand clients over")
        desks = self._desks()
        ids = list(dict.fromkeys(request.client_ids))
        if request.query is not None and request.query.strip():
            found = self.repo.search(plan(request.query, self.phone_region), desks, HAND_OVER_CAP + 1)
            ids = list(dict.fromkeys(ids + [s.id for s in found]))
        if not ids:
            raise ValidationFailed("Choose the clients to hand over.", field="client_ids")
        if len(ids) > HAND_OVER_CAP:
            raise ValidationFailed(
                f"At most {HAND_OVER_CAP} clients go in one hand-over; narrow the search.", field="query"
            )
        target = self.repo.employee_info(request.to_employee_id)
        if target is None or not any(desk_visible(d, desks) for d in target.desk_ids):
            raise NotFound(NO_MANAGER)
        me, now = (
            self._as_employee(
                PermissionDenied("Sign in as an employee to hand clients over (on the command line: --as LOGIN).")
            ),
            self.clock.now(),
        )

        def decide(rows: list[CustodyRow]) -> HandOverPlan:
            by_id = {r.id: r for r in rows}
            moves = []
            for client_id in ids:
                row = by_id.get(client_id)
                if row is None or row.merged_into is not None or not desk_visible(row.desk_id, desks):
                    raise NotFound(f"No client with CRM id {client_id}.")
                desk = rules.hand_over_desk(row.desk_id, target.desk_ids, request.desk_id, desks)
                if row.responsible_id == target.id and row.desk_id == desk:
                    continue  # theirs already: nothing to record
                comment = rules.hand_over_comment(row.responsible, target.full_name)
                entry = NewHistory(ContactKind.STATUS, now, me.id, comment=comment, result="handed_over")
                moves.append(HandOverMove(client_id, desk, row.responsible_id, row.responsible, entry))
            return HandOverPlan(target.id, moves, me.id, now)

        moves = self.repo.hand_over(ids, decide)
        names = dict(zip(target.desk_ids, target.desks, strict=False))
        return HandOverResult(
            to_employee=target.full_name,
            clients=[
                HandedOver(
                    client_id=m.client_id,
                    from_employee=m.from_employee,
                    desk=names.get(m.desk_id) if m.desk_id is not None else None,
                )
                for m in moves
            ],
        )

    # --- duplicates (F3) --------------------------------------------------------------------

    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]:
        self._require(Permission.MERGE_CLIENTS, "merge cards")
        groups = self.repo.duplicate_groups(self._desks(), max(1, min(limit, 500)))
        return [
            DuplicateGroup(card=self._mask_summary(card), matches=[self._mask_summary(m) for m in matches])
            for card, matches in groups
        ]

    def _pair(self, sides: tuple[MergeSide, MergeSide] | None, survivor_id: int, merged_id: int) -> None:
        survivor, merged = sides if sides is not None else (None, None)
        rules.check_pair(survivor, merged, survivor_id, merged_id)
        for side in (survivor, merged):
            if not self._visible(side.desk_id):  # type: ignore[union-attr]
                raise NotFound(f"No client with CRM id {side.id}.")  # type: ignore[union-attr]

    def compare_cards(self, survivor_id: int, merged_id: int) -> CardComparison:
        self._require(Permission.MERGE_CLIENTS, "merge cards")
        sides = self.repo.merge_sides(survivor_id, merged_id) if survivor_id != merged_id else None
        self._pair(sides, survivor_id, merged_id)
        survivor, merged = sides  # type: ignore[misc]
        return CardComparison(
            survivor_id=survivor.id,
            merged_id=merged.id,
            survivor_desk=survivor.desk,
            merged_desk=merged.desk,
            fields=rules.compare(survivor, merged, self._desks()),
            survivor_rows=survivor.rows,
            merged_rows=merged.rows,
        )

    def merge_clients(self, survivor_id: int, request: MergeRequest) -> MergeResult:
        self._require(Permission.MERGE_CLIENTS, "merge cards")
        merged_id = request.merged_id
        if survivor_id == merged_id:
            rules.check_pair(None, None, survivor_id, merged_id)
        me, now = (
            self._as_employee(
                PermissionDenied("Sign in as an employee to merge cards (on the command line: --as LOGIN).")
            ),
            self.clock.now(),
        )

        def decide(survivor: MergeSide, merged: MergeSide) -> MergePlan:
            self._pair((survivor, merged), survivor_id, merged_id)
            values, audits = rules.merged_values(survivor, merged, dict(request.keep))
            comment = rules.merge_comment(survivor_id, merged_id)
            entry = NewHistory(ContactKind.STATUS, now, me.id, comment=comment, result="merged")
            snapshot = {k: v for k, v in asdict(merged).items() if k != "rows"}
            snapshot["keep"] = dict(request.keep)
            return MergePlan(values, audits, entry, me.id, now, json.dumps(snapshot, default=str, sort_keys=True))

        if not self.repo.merge_clients(survivor_id, merged_id, decide):
            raise NotFound(f"No client with CRM id {survivor_id}.")
        return MergeResult(merged_id=merged_id, card=self.open_card(survivor_id))
