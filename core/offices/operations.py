"""Offices, their visiting times and the products (O1-O4), for the employee signed in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.access.acting import Acting
from core.calls.rules import DEFAULT_TZ, zone
from core.clock import as_utc
from core.errors import NotFound
from core.offices.models import Office, OfficeSlot, ProductOption
from core.offices.rules import keyword_matches, office_tz

MAX_SLOT_DAYS = 62


class OfficeOperations(Acting):
    timezone: str = DEFAULT_TZ

    def offices(
        self, region_id: int | None = None, town_id: int | None = None, keyword: str | None = None
    ) -> list[Office]:
        """O1: the offices of a region / town whose name, address or keywords hold every word typed."""
        self.whoami()
        return [
            o for o in self.repo.offices(region_id, town_id) if keyword_matches(keyword, o.name, o.address, o.keywords)
        ]

    def office(self, office_id: int) -> Office:
        self.whoami()
        found = self.repo.office(office_id)
        if found is None:
            raise NotFound(f"No office {office_id}.")
        return found

    def office_slots(self, office_id: int, date_from: date, days: int = 7) -> list[OfficeSlot]:
        """O2: the office's visiting times from the office's local midnight of `date_from` for `days` days."""
        office = self.office(office_id)
        days = max(1, min(days, MAX_SLOT_DAYS))
        tz = zone(office_tz(office, self.timezone))
        start = datetime.combine(date_from, datetime.min.time(), tzinfo=tz)
        end = datetime.combine(date_from + timedelta(days=days), datetime.min.time(), tzinfo=tz)
        return self.repo.office_slots(office_id, as_utc(start), as_utc(end), self.clock.now())

    def products(self) -> list[ProductOption]:
        """O4: every product, by category."""
        self.whoami()
        return self.repo.products()
