"""Offices, visiting times and products over HTTP (`core.offices.port.OfficesPort`)."""

from __future__ import annotations

from datetime import date

from core.offices.models import Office, OfficeSlot, ProductOption
from storage.remote.base import RemoteBase, _id


class RemoteOffices(RemoteBase):
    def offices(
        self, region_id: int | None = None, town_id: int | None = None, keyword: str | None = None
    ) -> list[Office]:
        params = {"region_id": region_id, "town_id": town_id, "keyword": keyword}
        return self._get("/offices", list[Office], **{k: v for k, v in params.items() if v is not None})

    def office(self, office_id: int) -> Office:
        return self._get(f"/offices/{_id(office_id)}", Office)

    def office_slots(self, office_id: int, date_from: date, days: int = 7) -> list[OfficeSlot]:
        return self._get(
            f"/offices/{_id(office_id)}/slots", list[OfficeSlot], date_from=date_from.isoformat(), days=days
        )

    def products(self) -> list[ProductOption]:
        return self._get("/products", list[ProductOption])
