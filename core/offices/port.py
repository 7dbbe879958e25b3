"""The offices area's part of the Console port: offices, visiting times, products (O1-O4)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from core.offices.models import Office, OfficeSlot, ProductOption


class OfficesPort(Protocol):
    def offices(
        self, region_id: int | None = None, town_id: int | None = None, keyword: str | None = None
    ) -> list[Office]: ...
    def office(self, office_id: int) -> Office: ...
    def office_slots(self, office_id: int, date_from: date, days: int = 7) -> list[OfficeSlot]: ...
    def products(self) -> list[ProductOption]: ...
