"""'My work' of the local Console: who I am, my desks and my day decided here; one store call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import PermissionDenied, ValidationFailed
from core.mywork import rules
from core.mywork.models import MyWork, WorkSection
from core.mywork.rules import SECTION_DEFAULT, SECTION_MAX
from core.mywork.store import MyWorkQuery

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.mywork.store import MyWorkStore


class MyWorkOperations:
    """For `core.console.LocalConsole` (a mixin: it brings whoami, the desks, the repo, the clock)."""

    repo: MyWorkStore
    clock: Clock
    timezone: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _as_employee(self, refusal: PermissionDenied) -> EmployeeInfo: ...

    def my_work(self, zone: str | None = None, limit: int = SECTION_DEFAULT) -> MyWork:
        me = self._as_employee(
            PermissionDenied("Sign in as an employee to see your own work (on the command line: --as LOGIN).")
        )
        if not 1 <= limit <= SECTION_MAX:
            raise ValidationFailed("Between 1 and 100 rows per section.", field="limit")
        tz = rules.zone(zone or self.timezone)
        now = self.clock.now()
        desks = self._desks()
        query = MyWorkQuery(
            employee_id=me.id,
            now=now,
            day_end=rules.day_end(now, tz),
            desk_ids=None if desks is None else tuple(desks),
            limit=limit,
        )
        found = self.repo.my_work(query)
        sections = [WorkSection(section=s.value, count=found[s][0], items=found[s][1]) for s in rules.SECTIONS]
        return MyWork(day=rules.today(now, tz), zone=tz.key, sections=sections)
