"""A small, fixed CRM database for the console's tests and snapshots (same data every run)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, select, text

from core.clients.inputs import ContactEdit, EmailInput, NewClient, PhoneInput
from core.clock import FixedClock
from core.console import LocalConsole
from storage.engine import make_engine, write
from storage.migrate import upgrade
from storage.sql_repository import SqlRepository
from storage.tables import (
    CampaignRow,
    CardTransactionRow,
    ClientProductRow,
    ContactProductRow,
    ContactRow,
    EmployeeRow,
    ProductRow,
)
from storage.users import add_employee

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # Monday, 12:00 in Moscow
PASSWORD = "s3cret-Pass"
EMPLOYEES = {
    # login: (full name, role, mobile)
    "operator": ("Смирнова Ольга Петровна", "operator", "+79001000001"),
    "office": ("Орлов Денис Андреевич", "office", "+79001000002"),
    "boss": ("Волкова Ирина Николаевна", "supervisor", "+79001000003"),
    "control": ("Зайцев Глеб Олегович", "control", "+79001000004"),
}
IVANOV, PETROVA, SIDOROV, SMITH, KUZNETSOVA = 1, 2, 3, 4, 5
HISTORY_ENTRIES = 120  # Kuznetsova's long contact history (paging)
_CODE = re.compile(r"(\d{6})")


def console_for(engine: Engine, clock: FixedClock | None = None) -> LocalConsole:
    return LocalConsole(SqlRepository(engine), clock=clock or FixedClock(T0))


def last_code(engine: Engine) -> str:
    """The newest sign-in code in the SMS outbox."""
    item = SqlRepository(engine).outbox(1)[0]
    match = _CODE.search(item.text)
    assert match, item.text
    return match.group(1)


def signed_in(engine: Engine, login: str, clock: FixedClock | None = None) -> LocalConsole:
    console = console_for(engine, clock)
    challenge = console.sign_in(login, PASSWORD)
    console.verify_code(challenge.challenge_id, last_code(engine))
    return console


def build(path: Path) -> None:
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        for login, (name, role, mobile) in EMPLOYEES.items():
            add_employee(engine, login, name, PASSWORD, role, ["Main desk"], mobile, T0 - timedelta(days=30))
        _clients(engine)
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()


def _clients(engine: Engine) -> None:
    boss = signed_in(engine, "boss", FixedClock(T0 - timedelta(days=20)))
    regions = {r.name: r.id for r in boss.regions()}
    moscow = regions["Москва"]
    kazan_region = regions["Республика Татарстан"]
    town = {t.name: t.id for r in (moscow, kazan_region) for t in boss.towns(r)}
    ivanov = boss.create_client(
        NewClient(
            surname="Иванов",
            first_name="Иван",
            patronymic="Иванович",
            birth_date=date(1980, 5, 17),
            client_type="internet",
            region_id=moscow,
            town_id=town["Москва"],
            passport_series="4510",
            passport_number="123456",
            phones=["+7 912 345-67-89"],
            email="ivan.ivanov@mail.ru",
        )
    )
    petrova = boss.create_client(
        NewClient(
            surname="Петрова",
            first_name="Анна",
            patronymic="Сергеевна",
            birth_date=date(1975, 11, 2),
            client_type="client",
            region_id=kazan_region,
            town_id=town["Казань"],
            phones=["89161112233"],
        )
    )
    office = signed_in(engine, "office", FixedClock(T0 - timedelta(days=15)))
    sidorov = office.create_client(
        NewClient(
            surname="Сидоров",
            first_name="Пётр",
            patronymic="Алексеевич",
            birth_date=date(1990, 1, 30),
            client_type="recommended",
            phones=["+79035556677"],
            referrer_id=ivanov.id,
        )
    )
    smith = boss.create_client(
        NewClient(surname="Smith", first_name="John", client_type="online_chat", phones=["+79267778899"])
    )
    kuznetsova = boss.create_client(
        NewClient(surname="Кузнецова", first_name="Мария", client_type="interested", phones=["+79055550000"])
    )
    assert (ivanov.id, petrova.id, sidorov.id, smith.id, kuznetsova.id) == (IVANOV, PETROVA, SIDOROV, SMITH, KUZNETSOVA)
    # C10: a change of contact data, with its audit row
    later = signed_in(engine, "boss", FixedClock(T0 - timedelta(days=10)))
    card = later.open_card(IVANOV)
    later.edit_contacts(
        IVANOV,
        ContactEdit(
            phones=[PhoneInput(number="+74951234567", kind="home")],
            emails=[EmailInput(id=card.emails[0].id, address="ivanov@example.com")],
            expected_version=card.contact_version,
            reason="Client's request",
            comment="New home phone",
        ),
    )
    _history(engine)


def _history(engine: Engine) -> None:
    with write(engine) as conn:
        operator_id = conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login == "operator"))
        products = {code: pid for code, pid in conn.execute(select(ProductRow.code, ProductRow.id))}
        campaign_id = conn.execute(
            insert(CampaignRow).values(code="halva_spring", name="Halva spring")
        ).inserted_primary_key[0]
        calls = [
            (T0 - timedelta(days=9, hours=2), "not_reached", "no_answer", None),
            (T0 - timedelta(days=8, hours=1), "agreed", None, "halva"),
            (T0 - timedelta(days=3), "think", None, "cash_loan"),
        ]
        for at, result, reason, product in calls:
            contact_id = conn.execute(
                insert(ContactRow).values(
                    client_id=IVANOV,
                    kind="call",
                    at=at,
                    ended_at=at + timedelta(minutes=4, seconds=5),
                    campaign_id=campaign_id,
                    result=result,
                    reason=reason,
                    employee_id=operator_id,
                    phone="+79123456789",
                )
            ).inserted_primary_key[0]
            if product:
                conn.execute(insert(ContactProductRow).values(contact_id=contact_id, product_id=products[product]))
        halva = conn.execute(
            insert(ClientProductRow).values(
                client_id=IVANOV,
                product_id=products["halva"],
                contract="HV-2025-0001",
                opened_on=date(2025, 2, 1),
                amount=Decimal("75000.00"),
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(ClientProductRow).values(
                client_id=IVANOV,
                product_id=products["cash_loan"],
                contract="CL-2021-0042",
                opened_on=date(2021, 6, 1),
                closed_on=date(2023, 6, 1),
                amount=Decimal("300000.00"),
            )
        )
        conn.execute(
            insert(CardTransactionRow),
            [
                {
                    "client_id": IVANOV,
                    "client_product_id": halva,
                    "at": T0 - timedelta(days=5),
                    "kind": "purchase",
                    "amount": Decimal("12990.00"),
                    "description": "Electronics store",
                },
                {
                    "client_id": IVANOV,
                    "client_product_id": halva,
                    "at": T0 - timedelta(days=2),
                    "kind": "deposit",
                    "amount": Decimal("5000.00"),
                    "description": "Top-up at an ATM",
                },
            ],
        )
        conn.execute(
            insert(ContactRow),
            [
                {
                    "client_id": KUZNETSOVA,
                    "kind": "call",
                    "at": T0 - timedelta(hours=HISTORY_ENTRIES - i),
                    "campaign_id": campaign_id,
                    "result": "not_reached",
                    "reason": "no_answer",
                    "employee_id": operator_id,
                    "comment": f"Attempt {i + 1}",
                }
                for i in range(HISTORY_ENTRIES)
            ],
        )
