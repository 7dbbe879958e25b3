"""Test data for the call tests: campaigns with scripts, list members, offices and slots."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import insert, select, update

from core.calls.scripts import shipped_scripts
from core.clients.models import ClientCard
from core.console import LocalConsole
from storage.engine import read, write
from storage.tables import (
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    DeskRow,
    OfficeRow,
    OfficeSlotRow,
    PhoneRow,
    ProductRow,
)
from tests.helpers import Crm, new_client

_phones = itertools.count(1)
SCRIPTS = shipped_scripts()


def add_campaign(
    crm: Crm, code: str = "halva_cross_sell", desk: str | None = None, script: str | None = None,
    hours: tuple[str, str] | None = None,
) -> int:  # fmt: skip
    """A campaign row; `hours` its calling hours ("00:00", "23:59": all day, for a real clock)."""
    with write(crm.engine) as conn:
        desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == desk)) if desk else None
        return conn.execute(
            insert(CampaignRow).values(
                code=code,
                name=code.replace("_", " ").capitalize(),
                active=True,
                script=SCRIPTS.get(code, "") if script is None else script,
                desk_id=desk_id,
                call_start=hours[0] if hours else None,
                call_end=hours[1] if hours else None,
            )
        ).inserted_primary_key[0]


def add_member(
    crm: Crm,
    campaign_id: int,
    client_id: int,
    state: str = "new",
    next_call_at: datetime | None = None,
    attempts: int = 0,
    last_call_at: datetime | None = None,
) -> None:
    with write(crm.engine) as conn:
        conn.execute(
            insert(CampaignMemberRow).values(
                campaign_id=campaign_id,
                client_id=client_id,
                state=state,
                next_call_at=next_call_at,
                attempts=attempts,
                last_call_at=last_call_at,
            )
        )


def client(console: LocalConsole, **kwargs: object) -> ClientCard:
    """A new client with a phone of its own."""
    number = f"+7912{next(_phones):07d}"
    return new_client(console, phones=(number,), **kwargs)  # type: ignore[arg-type]


def listed(crm: Crm, console: LocalConsole, campaign_id: int, **member: object) -> int:
    card = client(console)
    add_member(crm, campaign_id, card.id, **member)  # type: ignore[arg-type]
    return card.id


def add_office(
    crm: Crm,
    code: str = "MSK-01",
    town: str = "Москва",
    region: str = "Москва",
    name: str = "Офис «Тверская»",
    address: str = "ул. Тверская, д. 22",
    keywords: str = "м. Тверская, м. Пушкинская, кинотеатр «Россия»",
    timezone: str | None = None,
) -> int:
    region_id = crm.region_id(region)
    town_id = crm.town_id(region_id, town)
    with write(crm.engine) as conn:
        return conn.execute(
            insert(OfficeRow).values(
                code=code,
                name=name,
                region_id=region_id,
                town_id=town_id,
                address=address,
                keywords=keywords,
                hours="Пн-Пт 9:00-19:00",
                timezone=timezone,
            )
        ).inserted_primary_key[0]


def add_slot(crm: Crm, office_id: int, starts_at: datetime, capacity: int = 5, booked: int = 0) -> int:
    with write(crm.engine) as conn:
        return conn.execute(
            insert(OfficeSlotRow).values(office_id=office_id, starts_at=starts_at, capacity=capacity, booked=booked)
        ).inserted_primary_key[0]


def product_id(crm: Crm, code: str) -> int:
    with read(crm.engine) as conn:
        return conn.scalar(select(ProductRow.id).where(ProductRow.code == code))


def member(crm: Crm, campaign_id: int, client_id: int):  # type: ignore[no-untyped-def]
    return crm.repo.member(campaign_id, client_id)


def set_dnd(crm: Crm, client_id: int) -> None:
    with write(crm.engine) as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(do_not_disturb=True))


def strike_all_phones(crm: Crm, client_id: int) -> None:
    with write(crm.engine) as conn:
        conn.execute(
            update(PhoneRow).where(PhoneRow.client_id == client_id).values(status="struck", strike_reason="wrong")
        )
