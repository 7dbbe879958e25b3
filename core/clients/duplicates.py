"""F3 duplicate check without an oracle about other desks.

The rule:
- Cards of the employee's own desks that share a phone or the passport are shown (masked as
  usual), with what matched: the employee may find them by search anyway.
- Cards of desks the employee may not see are never shown, counted or told apart: creating the
  card answers only "possible duplicate — ask your supervisor", the same whether a phone or the
  passport matched and however many cards did. `find_duplicates` ignores them altogether.
- Every check that finds a card of another desk (creating with or without `allow_duplicate`: the
  new card's duplicate flag tells it too) counts against the employee's DUPLICATE_CHECKS limit
  (core.access.throttle); past it the answer is "too many attempts" (429). Each such check is written to
  the audit log with the ids of the hidden cards, for the supervisor the employee is sent to. A
  check that finds nothing elsewhere creates the card: probing costs a card per value, on record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access import throttle
from core.access.models import EmployeeInfo
from core.access.store import AuditEvent
from core.access.throttle import DUPLICATE_CHECKS, TooManyAttempts
from core.clients.card_rules import clean_passport, passport_key
from core.clients.inputs import NewClient
from core.clients.models import ClientSummary
from core.clients.phones import normalize_phone
from core.clock import Clock
from core.errors import ValidationFailed
from core.repository import Repository

ASK_SUPERVISOR = "Possible duplicate: a card with these details may exist on another desk; ask your supervisor."


class PossibleDuplicate(ValidationFailed):
    """A new card shares a phone or passport with existing ones (F3)."""

    code = "duplicate"

    def __init__(self, matches: list[ClientSummary]) -> None:
        if matches:
            super().__init__(f"Possible duplicate of {len(matches)} existing card(s).", field="phones")
        else:
            super().__init__(ASK_SUPERVISOR)
        self.matches = matches


def hidden_detail(hidden_ids: list[int]) -> str:
    """The audit line of a match on other desks: ids only, never the phone or passport."""
    return "hidden matches: " + ",".join(str(i) for i in sorted(hidden_ids))


class DuplicateOperations:
    """The duplicate check of `core.console.LocalConsole`."""

    repo: Repository
    clock: Clock
    phone_region: str
    address: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _mask_summary(self, summary: ClientSummary) -> ClientSummary: ...

    def find_duplicates(self, draft: NewClient) -> list[ClientSummary]:
        """Cards of the employee's desks sharing a phone or the passport (never another desk's)."""
        self.whoami()
        ids = self._duplicate_ids(draft, self._desks())
        return [
            self._mask_summary(s.model_copy(update={"matched_by": ids[s.id]})) for s in self.repo.summaries(list(ids))
        ]

    def _duplicate_ids(self, draft: NewClient, desks: list[int] | None) -> dict[int, str]:
        ids: dict[int, str] = {}
        for raw in draft.phones:
            if raw.strip():
                for client_id in self.repo.ids_by_phone(normalize_phone(raw, self.phone_region), desks, 20):
                    ids.setdefault(client_id, "phone")
        series, number = clean_passport(draft.passport_series, draft.passport_number)
        key = passport_key(series, number)
        if key:
            for client_id in self.repo.ids_by_passport(key, desks, 20):
                ids.setdefault(client_id, "passport")
        return ids

    def _check_duplicates(self, draft: NewClient, allow_duplicate: bool) -> bool:
        """F3 by the rule above; True when the new card is a possible duplicate (of any desk)."""
        me, now = self.whoami(), self.clock.now()
        everywhere = self._duplicate_ids(draft, None)
        if not everywhere:
            return False
        visible = self._duplicate_ids(draft, self._desks())
        hidden = [i for i in everywhere if i not in visible]
        if hidden:
            limits = {DUPLICATE_CHECKS.key(str(me.id)): DUPLICATE_CHECKS}
            taken = self.repo.update_attempts(list(limits), lambda counts: throttle.decide(limits, counts, now))
            event = "duplicate_check_refused" if isinstance(taken, int) else "duplicate_check"
            self.repo.record_audit(AuditEvent(now, event, self.address, me.login, me.id or None, hidden_detail(hidden)))
            if isinstance(taken, int):
                raise TooManyAttempts(taken)
        if not allow_duplicate:
            raise PossibleDuplicate(self.find_duplicates(draft))
        return True
