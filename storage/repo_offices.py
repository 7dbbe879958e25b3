"""Repository queries of offices and their visiting times (O1, O2) and the product catalogue (O4),
which is reference data: read once and kept (`storage.reference_cache`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from core.clock import as_utc
from core.offices.models import Office, OfficeSlot, ProductOption
from core.vocab import ProductCategory
from storage.engine import read
from storage.reference_cache import cache_of
from storage.tables import OfficeRow, OfficeSlotRow, ProductRow, RegionRow, TownRow

_slot = OfficeSlotRow.__table__.c
OFFICES = (
    select(OfficeRow, RegionRow.name.label("region_name"), TownRow.name.label("town_name"))
    .join(RegionRow, RegionRow.id == OfficeRow.region_id)
    .join(TownRow, TownRow.id == OfficeRow.town_id)
)
PRODUCTS = select(ProductRow).order_by(ProductRow.category, ProductRow.name)


def slot_shape(row, now: datetime) -> OfficeSlot:  # type: ignore[no-untyped-def]
    starts = as_utc(row.starts_at)
    free = max(0, row.capacity - row.booked)
    return OfficeSlot(
        id=row.id,
        office_id=row.office_id,
        starts_at=starts,
        capacity=row.capacity,
        booked=row.booked,
        free=free,
        bookable=free > 0 and starts > now,
    )


def _category_label(code: str) -> str:
    try:
        return ProductCategory(code).label
    except ValueError:
        return code


class OfficeQueries:
    engine: Engine

    @staticmethod
    def _office(row) -> Office:  # type: ignore[no-untyped-def]
        return Office(
            id=row.id,
            code=row.code,
            name=row.name,
            region_id=row.region_id,
            region=row.region_name,
            town_id=row.town_id,
            town=row.town_name,
            address=row.address,
            keywords=row.keywords,
            hours=row.hours,
            phone=row.phone,
            timezone=row.timezone,
        )

    def offices(self, region_id: int | None, town_id: int | None) -> list[Office]:
        query = OFFICES.order_by(OfficeRow.name, OfficeRow.id)
        if region_id is not None:
            query = query.where(OfficeRow.region_id == region_id)
        if town_id is not None:
            query = query.where(OfficeRow.town_id == town_id)
        with read(self.engine) as conn:
            return [self._office(r) for r in conn.execute(query)]

    def office(self, office_id: int) -> Office | None:
        with read(self.engine) as conn:
            row = conn.execute(OFFICES.where(OfficeRow.id == office_id)).first()
        return self._office(row) if row else None

    def office_slots(self, office_id: int, start: datetime, end: datetime, now: datetime) -> list[OfficeSlot]:
        with read(self.engine) as conn:
            rows = conn.execute(
                select(OfficeSlotRow)
                .where(_slot.office_id == office_id, _slot.starts_at >= start, _slot.starts_at < end)
                .order_by(_slot.starts_at)
            ).all()
        return [slot_shape(r, now) for r in rows]

    def slot(self, slot_id: int, now: datetime) -> OfficeSlot | None:
        with read(self.engine) as conn:
            row = conn.execute(select(OfficeSlotRow).where(_slot.id == slot_id)).first()
        return slot_shape(row, now) if row else None

    def products(self) -> list[ProductOption]:
        return list(cache_of(self).get("products", self._read_products))

    def _read_products(self, conn: Connection | None = None) -> list[ProductOption]:
        """From the caller's transaction when given (a save reads everything on one connection)."""
        if conn is None:
            with read(self.engine) as own:
                return self._read_products(own)
        rows = conn.execute(PRODUCTS).all()
        return [
            ProductOption(
                id=r.id,
                code=r.code,
                category=r.category,
                category_label=_category_label(r.category),
                name=r.name,
                is_card=r.is_card,
            )
            for r in rows
        ]
