"""The shapes of offices, their visiting times and the products offered there (O1-O4)."""

from __future__ import annotations

from datetime import datetime

from core.shapes import Shape


class Office(Shape):
    id: int
    code: str
    name: str
    region_id: int
    region: str
    town_id: int
    town: str
    address: str
    keywords: str = ""
    hours: str = ""
    phone: str | None = None
    timezone: str | None = None  # IANA zone of its visiting times; None: the console's zone


class OfficeSlot(Shape):
    id: int
    office_id: int
    starts_at: datetime
    capacity: int
    booked: int
    free: int
    bookable: bool  # in the future and not full


class ProductOption(Shape):
    id: int
    code: str
    category: str  # core.vocab.ProductCategory
    category_label: str
    name: str
    is_card: bool
