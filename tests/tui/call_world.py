"""The console's call tests: the fixed TUI world plus campaign lists with the shipped scripts,
offices with a calendar, and helpers to read what a saved call left in the store.

Import the fixtures into a test module (`from tests.tui.call_world import call_template, db`):
`db` then overrides the conftest's, so `make_app` runs on this world.

T0 is Monday 10 March 2025, 12:00 in Moscow (09:00 UTC).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, text

from core.calls.scripts import shipped_scripts
from storage.engine import make_engine, read, write
from storage.tables import (
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactRow,
    OfficeRow,
    OfficeSlotRow,
    RegionRow,
    SmsOutboxRow,
    TownRow,
)
from tests.tui import world

T0 = world.T0
SCRIPTS = shipped_scripts()
HALVA = "halva_cross_sell"
DEPOSIT = "deposit_retention"

# Office slots, UTC (Moscow = UTC+3)
PASSED = datetime(2025, 3, 10, 7, 0, tzinfo=UTC)  # today 10:00: passed
TODAY_15 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # today 15:00
THU_11 = datetime(2025, 3, 13, 8, 0, tzinfo=UTC)  # Thursday 11:00, 5 free
THU_1130 = datetime(2025, 3, 13, 8, 30, tzinfo=UTC)  # full
THU_12 = datetime(2025, 3, 13, 9, 0, tzinfo=UTC)  # one place left
FRI_10 = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
THU_1230 = datetime(2025, 3, 13, 9, 30, tzinfo=UTC)  # not in the world: `add_slot` puts it there


def build(path: Path) -> None:
    engine = make_engine(str(path))
    try:
        with write(engine) as conn:
            halva = _campaign(conn, HALVA)
            deposit = _campaign(conn, DEPOSIT)
            members = [
                (halva, world.PETROVA, "callback", T0 - timedelta(hours=1)),  # a due call-back: handed out first
                (halva, world.IVANOV, "new", None),
                (halva, world.SIDOROV, "new", None),
                (halva, world.SMITH, "new", None),
                (deposit, world.IVANOV, "new", None),
            ]
            conn.execute(
                insert(CampaignMemberRow),
                [
                    {"campaign_id": c, "client_id": client, "state": state, "next_call_at": at, "attempts": 0}
                    for c, client, state, at in members
                ],
            )
            moscow = conn.scalar(select(RegionRow.id).where(RegionRow.name == "Москва"))
            town = conn.scalar(select(TownRow.id).where(TownRow.region_id == moscow, TownRow.name == "Москва"))
            zelenograd = conn.scalar(
                select(TownRow.id).where(TownRow.region_id == moscow, TownRow.name == "Зеленоград")
            )
            tverskaya = _office(
                conn,
                "MSK-01",
                "Офис «Тверская»",
                moscow,
                town,
                "ул. Тверская, д. 22",
                "м. Тверская, м. Пушкинская, кинотеатр «Россия»",
            )
            _office(
                conn,
                "MSK-02",
                "Офис «Арбат»",
                moscow,
                town,
                "ул. Новый Арбат, д. 11",
                "м. Арбатская, м. Смоленская, Дом книги",
            )
            _office(
                conn, "MSK-03", "Офис «Курская»", moscow, town, "ул. Земляной Вал, д. 33", "м. Курская, ТЦ «Атриум»"
            )
            _office(conn, "ZLG-01", "Офис «Зеленоград»", moscow, zelenograd, "Центральный пр., д. 1", "площадь Юности")
            tatarstan = conn.scalar(select(RegionRow.id).where(RegionRow.name == "Республика Татарстан"))
            kazan = conn.scalar(select(TownRow.id).where(TownRow.region_id == tatarstan, TownRow.name == "Казань"))
            kremlin = _office(
                conn, "KZN-01", "Офис «Кремлёвская»", tatarstan, kazan, "ул. Баумана, д. 9", "м. Кремлёвская, Кремль"
            )
            conn.execute(insert(OfficeSlotRow).values(office_id=kremlin, starts_at=THU_11, capacity=5, booked=2))
            for at, booked in ((PASSED, 0), (TODAY_15, 0), (THU_11, 0), (THU_1130, 5), (THU_12, 4), (FRI_10, 0)):
                conn.execute(insert(OfficeSlotRow).values(office_id=tverskaya, starts_at=at, capacity=5, booked=booked))
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()


def _campaign(conn, code: str) -> int:  # type: ignore[no-untyped-def]
    name = {HALVA: "Halva cross-sell", DEPOSIT: "Deposit retention"}[code]
    return conn.execute(insert(CampaignRow).values(code=code, name=name, script=SCRIPTS[code])).inserted_primary_key[0]


def _office(conn, code, name, region, town, address, keywords, timezone=None) -> int:  # type: ignore[no-untyped-def]
    return conn.execute(
        insert(OfficeRow).values(
            timezone=timezone,
            code=code,
            name=name,
            region_id=region,
            town_id=town,
            address=address,
            keywords=keywords,
            hours="Пн-Пт 9:00-19:00",
            phone="+7 495 000-00-01",
        )
    ).inserted_primary_key[0]


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def call_template(tui_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-call-template") / "crm.sqlite3"
    shutil.copyfile(tui_template, path)
    build(path)
    return path


@pytest.fixture
def db(call_template: Path, tmp_path: Path) -> Iterator[Engine]:
    target = tmp_path / "crm.sqlite3"
    shutil.copyfile(call_template, target)
    engine = make_engine(str(target))
    yield engine
    engine.dispose()


# --- reading the store --------------------------------------------------------------------------


def campaign_id(engine: Engine, code: str = HALVA) -> int:
    with read(engine) as conn:
        return conn.scalar(select(CampaignRow.id).where(CampaignRow.code == code))


def calls(engine: Engine, client_id: int) -> list:  # type: ignore[type-arg]
    """The client's saved calls with a result of a campaign list, newest first."""
    with read(engine) as conn:
        return conn.execute(
            select(ContactRow)
            .where(ContactRow.client_id == client_id, ContactRow.kind == "call", ContactRow.campaign_id.is_not(None))
            .where(
                ContactRow.campaign_id
                != select(CampaignRow.id).where(CampaignRow.code == "halva_spring").scalar_subquery()
            )
            .order_by(ContactRow.id.desc())
        ).all()


def member(engine: Engine, client_id: int, code: str = HALVA):  # type: ignore[no-untyped-def]
    with read(engine) as conn:
        return conn.execute(
            select(CampaignMemberRow)
            .join(CampaignRow, CampaignRow.id == CampaignMemberRow.campaign_id)
            .where(CampaignRow.code == code, CampaignMemberRow.client_id == client_id)
        ).one()


def slot(engine: Engine, starts_at: datetime, office: str = "MSK-01"):  # type: ignore[no-untyped-def]
    with read(engine) as conn:
        return conn.execute(
            select(OfficeSlotRow)
            .join(OfficeRow, OfficeRow.id == OfficeSlotRow.office_id)
            .where(OfficeRow.code == office, OfficeSlotRow.starts_at == starts_at)
        ).one()


def add_slot(engine: Engine, starts_at: datetime, office: str = "MSK-01", capacity: int = 5) -> None:
    with write(engine) as conn:
        office_id = conn.scalar(select(OfficeRow.id).where(OfficeRow.code == office))
        conn.execute(
            insert(OfficeSlotRow).values(office_id=office_id, starts_at=starts_at, capacity=capacity, booked=0)
        )


def add_office(engine: Engine, code: str, name: str, region: str, town: str, address: str, tz: str | None) -> int:
    with write(engine) as conn:
        region_id = conn.scalar(select(RegionRow.id).where(RegionRow.name == region))
        town_id = conn.scalar(select(TownRow.id).where(TownRow.region_id == region_id, TownRow.name == town))
        return _office(conn, code, name, region_id, town_id, address, "", timezone=tz)


def move_client(engine: Engine, client_id: int, region: str, town: str) -> None:
    """The client lives elsewhere: the card's region and town."""
    with write(engine) as conn:
        region_id = conn.scalar(select(RegionRow.id).where(RegionRow.name == region))
        town_id = conn.scalar(select(TownRow.id).where(TownRow.region_id == region_id, TownRow.name == town))
        conn.execute(
            ClientRow.__table__.update().where(ClientRow.id == client_id).values(region_id=region_id, town_id=town_id)
        )


def fill_slot(engine: Engine, starts_at: datetime, office: str = "MSK-01") -> None:
    """Someone else books the last places of the slot meanwhile."""
    slot_id = slot(engine, starts_at, office).id
    with write(engine) as conn:
        conn.execute(
            OfficeSlotRow.__table__.update().where(OfficeSlotRow.id == slot_id).values(booked=OfficeSlotRow.capacity)
        )


def visit_sms(engine: Engine) -> list:  # type: ignore[type-arg]
    with read(engine) as conn:
        return conn.execute(select(SmsOutboxRow).where(SmsOutboxRow.purpose == "visit")).all()


def do_not_disturb(engine: Engine, client_id: int) -> bool:
    with read(engine) as conn:
        return bool(conn.scalar(select(ClientRow.do_not_disturb).where(ClientRow.id == client_id)))


def count_calls(engine: Engine) -> int:
    with read(engine) as conn:
        return conn.scalar(select(func.count()).select_from(ContactRow).where(ContactRow.kind == "call")) or 0
