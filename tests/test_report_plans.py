"""The first-calls and funnel statements on SQLite: the period's new clients come from the
(created_at, desk_id, client_type) index alone and each new client's contacts are read by one
probe of contact(client_id, …) — no lookup of the card, no second probe by time."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import event

from core.reports.models import ReportFilter
from tests import report_world
from tests.helpers import Crm
from tests.report_world import MARCH


@pytest.fixture
def world(sqlite_store: str, clock) -> Iterator[Crm]:  # type: ignore[no-untyped-def]
    crm = Crm(sqlite_store, clock)
    report_world.build(crm)
    yield crm
    crm.close()


def plans(crm: Crm, run: Callable[[], object]) -> list[str]:
    """The EXPLAIN QUERY PLAN of every SELECT `run` executes, one line each."""
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(crm.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(crm.engine, "before_cursor_execute", capture)
    with crm.engine.connect() as conn:
        return [" | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p)) for s, p in seen]


def test_first_calls_and_the_funnel_probe_each_new_client_once(world: Crm) -> None:
    admin = world.console("boss", role="admin")
    flt = ReportFilter(start=MARCH[0], end=MARCH[1])
    found = plans(world, lambda: admin.report_first_calls(flt)) + plans(world, lambda: admin.report_funnel(flt))
    assert len(found) == 4  # first calls, not called yet, funnel by channel and by campaign
    for plan in found:
        assert "SEARCH client USING COVERING INDEX ix_client_created_at" in plan, plan
        assert "ix_contact_at" not in plan, plan
        assert plan.count("SEARCH contact USING COVERING INDEX ix_contact_client_at") <= 1, plan
        assert "SCAN campaign" not in plan, plan


def test_with_a_desk_and_a_channel_the_card_is_still_not_read(world: Crm) -> None:
    admin = world.console("boss", role="admin")
    flt = ReportFilter(start=MARCH[0], end=MARCH[1], channel="internet")
    for plan in plans(world, lambda: admin.report_first_calls(flt)) + plans(world, lambda: admin.report_funnel(flt)):
        assert "SEARCH client USING COVERING INDEX ix_client_created_at" in plan, plan


def test_sales_find_the_manager_of_each_deposit_by_one_index_probe(world: Crm) -> None:
    admin = world.console("boss", role="admin")
    (plan,) = plans(world, lambda: admin.report_sales(ReportFilter(start=MARCH[0], end=MARCH[1])))
    assert "SEARCH later_hand_over USING COVERING INDEX ix_hand_over_client_at (client_id=? AND at>?)" in plan, plan
    assert "SCAN later_hand_over" not in plan, plan
