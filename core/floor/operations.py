"""The floor of the local Console: the view_floor permission, the desk rule, the states decided
here from the facts one store read returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.errors import NotFound
from core.floor import rules
from core.floor.models import Floor, FloorCall, FloorCampaign, FloorEmployee
from core.floor.store import CallFacts, EmployeeFacts, FloorQuery
from core.reports.rules import AGREED, UNREACHED
from core.reports.rules import rate as share

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.floor.store import FloorStore

MAX_CALLS = 500  # of one employee's day on the drill-down


class FloorOperations:
    """`core.floor.port.FloorPort` for `core.console.LocalConsole` (a mixin)."""

    repo: FloorStore
    clock: Clock
    timezone: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _require(self, permission: Permission, what: str) -> None: ...
        def _desks(self) -> list[int] | None: ...
        def _visible(self, desk_id: int | None) -> bool: ...
        def _floor_session(self) -> str: ...

    def _floor_query(self) -> FloorQuery:
        self._require(Permission.VIEW_FLOOR, "see the floor")
        now = self.clock.now()
        start, end = rules.day_bounds(now, self.timezone)
        desks = self._desks()
        return FloorQuery(
            now=now,
            day_start=start,
            day_end=end,
            live_since=rules.live_since(now),
            seen_since=rules.seen_since(now),
            desk_ids=None if desks is None else tuple(desks),
            unreached=UNREACHED,
            agreed=AGREED,
        )

    def floor(self) -> Floor:
        q = self._floor_query()
        facts = self.repo.floor(q)
        hours: dict[int, list[int]] = {c.campaign_id: [0] * rules.HOURS for c in facts.campaigns}
        total = [0] * rules.HOURS
        for campaign_id, hour, n in facts.hours:
            if 0 <= hour < rules.HOURS:
                hours.setdefault(campaign_id, [0] * rules.HOURS)[hour] += n
                total[hour] += n
        campaigns = [
            FloorCampaign(
                campaign_id=c.campaign_id,
                campaign=c.campaign,
                active=c.active,
                callbacks_due=c.callbacks_due,
                fresh=c.fresh,
                retries=c.retries,
                exhausted=c.exhausted,
                do_not_disturb=c.do_not_disturb,
                dialled_today=sum(hours[c.campaign_id]),
                hours=hours[c.campaign_id],
            )
            for c in facts.campaigns
        ]
        sessions: dict[int, list[EmployeeFacts]] = {}
        for e in facts.employees:  # one row per live session, an employee's rows in the floor's order
            sessions.setdefault(e.employee_id, []).append(e)
        employees = [self._floor_employee(rows, q) for rows in sessions.values()]
        return Floor(at=q.now, day_start=q.day_start, employees=employees, campaigns=campaigns, hours=total)

    def _floor_client(self, name: str | None, desk_id: int | None) -> str | None:
        if name is None:
            return None
        return name if self._visible(desk_id) else rules.HIDDEN

    def _floor_employee(self, rows: list[EmployeeFacts], q: FloorQuery) -> FloorEmployee:
        states = [rules.state(q.now, r.signed_in_at, r.call_at, r.form_at, r.last_end) for r in rows]
        state, since = rules.busiest(states)
        e = rows[states.index((state, since))]  # the shown session's client and campaign
        busy = state != "idle"
        return FloorEmployee(
            employee_id=e.employee_id,
            employee=e.employee,
            state=state,
            since=since,
            seconds=rules.seconds_between(since, q.now),
            client_id=e.client_id if busy and self._visible(e.client_desk_id) else None,
            client=self._floor_client(e.client, e.client_desk_id) if busy else None,
            campaign=e.campaign if busy else None,
            calls=e.calls,
            reached=e.reached,
            reached_rate=share(e.reached, e.calls),
            agreed=e.agreed,
            talk_average=round(e.talk_total / e.talked, 1) if e.talked else 0.0,
            last_result=e.last_result,
        )

    def floor_calls(self, employee_id: int) -> list[FloorCall]:
        q = self._floor_query()
        found = self.repo.floor_calls(q, employee_id, MAX_CALLS)
        if found is None:
            raise NotFound(f"No employee {employee_id} on your desks.")
        return [self._floor_call(c) for c in found]

    def _floor_call(self, c: CallFacts) -> FloorCall:
        seconds = rules.seconds_between(c.at, c.ended_at) if c.ended_at is not None else None
        return FloorCall(
            contact_id=c.contact_id,
            client_id=c.client_id,
            client=self._floor_client(c.client, c.client_desk_id) or "",
            at=c.at,
            seconds=seconds,
            campaign=c.campaign,
            result=c.result,
        )

    def mark_result_form(self, client_id: int) -> None:
        self._require(Permission.WORK_CALLS, "work calls")
        if self.whoami().id:  # the local administrator is on no floor
            self.repo.floor_form(self._floor_session(), client_id, self.clock.now())
