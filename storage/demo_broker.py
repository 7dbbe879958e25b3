"""The demo's broker: a "Forex" desk with its manager, leads, demo and live clients, accounts, trades
and money requests over several payment systems — made by the seeded simulator through the same
event path as the webhook (`core.trading.operations.apply_event`)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from core.clients.names import latin_key, name_key
from core.clock import FixedClock
from core.console import LocalConsole
from core.trading.simulator import Simulator
from storage.engine import write
from storage.sql_repository import SqlRepository
from storage.tables import ClientRow, DeskRow, EmployeeRow, PhoneRow
from storage.tables_trading import TradingAccountRow
from storage.users import add_employee

FOREX_DESK = "Forex"
MANAGER = ("forex", "Соколова Мария Андреевна", "supervisor")  # login = password, as the other demo logins
CLIENTS = 40
STEPS = 600  # simulated moments, a minute apart, leading up to the demo's "now"
SURNAMES = ("Белов", "Громов", "Зимин", "Ковалёв", "Лебедев", "Макаров", "Никитин", "Орехов", "Павлов", "Руднев")
FIRST_NAMES = ("Алексей", "Виктор", "Глеб", "Денис", "Егор", "Илья", "Кирилл", "Максим", "Олег", "Роман")
PATRONYMICS = ("Андреевич", "Борисович", "Викторович", "Олегович", "Сергеевич")


def build(engine: Engine, now: datetime, seed: int) -> list[tuple[str, str, str]]:
    """The Forex desk's people and their platform history; returns the manager's demo login."""
    login, full_name, role = MANAGER
    add_employee(engine, login, full_name, login, role, [FOREX_DESK], "+79990000077", now - timedelta(days=30))
    rng = random.Random(seed * 31 + 5)
    with write(engine) as conn:
        desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == FOREX_DESK))
        conn.execute(update(DeskRow).where(DeskRow.id == desk_id).values(broker=True))  # C13 applies here only
        manager_id = conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login == login))
        ids = []
        for i in range(CLIENTS):
            surname, first, patronymic = rng.choice(SURNAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS)
            key = name_key(surname, first, patronymic)
            values = {"surname": surname, "first_name": first, "patronymic": patronymic, "name_key": key}
            values |= {"name_latin": latin_key(key), "client_type": "internet", "lifecycle": "lead"}
            values |= {
                "desk_id": desk_id,
                "responsible_id": manager_id,
                "created_at": now - timedelta(days=20, hours=i),
            }
            client_id = conn.execute(insert(ClientRow).values(**values)).inserted_primary_key[0]
            conn.execute(insert(PhoneRow).values(client_id=client_id, e164=f"+7977{5_000_000 + i * 7919:07d}"))
            ids.append(client_id)
    start = now - timedelta(minutes=STEPS)
    feed = LocalConsole(SqlRepository(engine), clock=FixedClock(start))
    leads = ids[: CLIENTS // 5]  # a fifth stay leads: the simulator never hears of them
    for event in Simulator(ids[len(leads) :], feed.clock, seed=seed, steps=STEPS, step_s=60).events():
        feed.apply_event(event)
    return [(login, role, FOREX_DESK)]


def broker_client_ids(engine: Engine) -> list[int]:
    """The Forex desk's clients (every client when there is no such desk): what `crm events simulate` drives."""
    with engine.connect() as conn:
        desk = conn.execute(select(DeskRow.id).where(DeskRow.name == FOREX_DESK)).scalar()
        query = select(ClientRow.id).order_by(ClientRow.id)
        if desk is not None:
            query = query.where(ClientRow.desk_id == desk)
        return list(conn.scalars(query))


def broker_states(engine: Engine, ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Where the simulator starts for these clients: their lifecycle, and a live one's real account
    currency (the first real account)."""
    with engine.connect() as conn:
        rows = conn.execute(select(ClientRow.id, ClientRow.lifecycle).where(ClientRow.id.in_(ids)))  # type: ignore[union-attr]
        states = {client_id: lifecycle for client_id, lifecycle in rows}
        accounts = (
            select(TradingAccountRow.client_id, TradingAccountRow.currency)
            .where(TradingAccountRow.demo.is_(False), TradingAccountRow.client_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(TradingAccountRow.id)  # type: ignore[arg-type]
        )
        currencies: dict[int, str] = {}
        for client_id, currency in conn.execute(accounts):
            currencies.setdefault(client_id, currency)
    return states, currencies
