"""F3 without an oracle about other desks (issue 8, defect 7): see the rule in core.clients.duplicates."""

from __future__ import annotations

import pytest

from core.access.throttle import DUPLICATE_CHECKS, TooManyAttempts, decide
from core.clients.duplicates import ASK_SUPERVISOR, PossibleDuplicate
from tests.helpers import T0, Crm, draft, new_client

DESK_B = "Desk B"
PHONE = "+79161230001"
PASSPORT = {"passport_series": "4511", "passport_number": "654321"}


@pytest.fixture
def theirs(crm: Crm):  # type: ignore[no-untyped-def]
    """A card of Desk B with a phone and a passport, entered by Desk B's office specialist."""
    other = crm.console("bella", role="office", desks=(DESK_B,))
    return new_client(other, surname="Чужая", phones=[PHONE], **PASSPORT)


def refusal(console, **fields) -> PossibleDuplicate:  # type: ignore[no-untyped-def]
    with pytest.raises(PossibleDuplicate) as dup:
        new_client(console, surname="Новый", **fields)
    return dup.value


def test_a_match_on_another_desk_says_only_ask_your_supervisor(crm: Crm, theirs) -> None:  # type: ignore[no-untyped-def]
    mine = crm.console("olga", role="office")
    by_phone = refusal(mine, phones=[PHONE])
    by_passport = refusal(mine, phones=["+79161230002"], **PASSPORT)
    by_both = refusal(mine, phones=[PHONE], **PASSPORT)
    for dup in (by_phone, by_passport, by_both):  # which value matched is not told, nor how many cards
        assert (dup.message, dup.field, dup.matches) == (ASK_SUPERVISOR, None, [])
    assert mine.find_duplicates(draft(phones=[PHONE], **PASSPORT)) == []
    assert crm.count("client") == 1


def test_a_match_on_another_desk_is_audited_by_id(crm: Crm, theirs) -> None:  # type: ignore[no-untyped-def]
    mine = crm.console("olga", role="office")
    refusal(mine, phones=[PHONE])
    (row,) = crm.rows("audit_event", event="duplicate_check")
    assert (row.employee_id, row.login, row.detail) == (mine.whoami().id, "olga", f"hidden matches: {theirs.id}")
    assert PHONE[2:] not in repr(tuple(row))


def test_own_desk_matches_are_still_shown(crm: Crm, theirs) -> None:  # type: ignore[no-untyped-def]
    mine = crm.console("olga", role="office")
    own = new_client(mine, surname="Своя", phones=["+79161230003"])
    dup = refusal(mine, phones=["+79161230003"])
    assert [(m.id, m.matched_by) for m in dup.matches] == [(own.id, "phone")]
    assert crm.count("audit_event", event="duplicate_check") == 0


def test_checks_that_touch_another_desk_are_rate_limited_per_employee(crm: Crm, theirs) -> None:  # type: ignore[no-untyped-def]
    mine = crm.console("olga", role="office")
    for _ in range(DUPLICATE_CHECKS.free):
        refusal(mine, phones=[PHONE])
    with pytest.raises(TooManyAttempts) as refused:
        new_client(mine, phones=[PHONE], allow_duplicate=True)  # the card's flag would tell it too
    assert refused.value.retry_after_s == DUPLICATE_CHECKS.first_delay.total_seconds()
    assert crm.count("audit_event", event="duplicate_check") == DUPLICATE_CHECKS.free
    assert crm.count("audit_event", event="duplicate_check_refused") == 1
    for n in range(DUPLICATE_CHECKS.free + 5):  # checks that find nothing elsewhere are not counted
        new_client(mine, phones=[f"+7916200{n:04d}"])
    crm.clock.advance(seconds=DUPLICATE_CHECKS.leak.total_seconds())  # type: ignore[union-attr]
    refusal(mine, phones=[PHONE])  # one per 2 minutes goes on
    other = crm.console("oleg", role="office")  # another employee is not slowed down
    refusal(other, phones=[PHONE])


def test_a_leaky_limit_never_slows_a_steady_pace() -> None:
    limits = {"k": DUPLICATE_CHECKS}
    counts: dict = {}  # type: ignore[type-arg]
    now = T0
    for _ in range(10 * DUPLICATE_CHECKS.free):  # one every 2 minutes, all day long
        after = decide(limits, counts, now)
        assert not isinstance(after, int)
        counts = after  # type: ignore[assignment]
        now += DUPLICATE_CHECKS.leak  # type: ignore[operator]
    assert counts["k"].attempts == 1
