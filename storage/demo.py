"""`crm demo`: a demo database with desks, employees, offices and slots, campaigns, and clients
with a plausible history. The same seed gives the same data; a million clients take about a
minute and a half of CPU on SQLite (bench/demo_bench.py).

    report = build_demo("demo.sqlite3", clients=100_000, seed=7)

Sign in with login = password (admin, supervisor, operator, operator2, sme, office).
"""

from __future__ import annotations

import random
import time
from bisect import bisect
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

from sqlalchemy import Engine, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from core.calls.scripts import shipped_scripts
from core.errors import StoreUnavailable, ValidationFailed
from storage import activity, demo_broker
from storage import demo_data as D
from storage.demo_load import LOAD_ORDER, after_load, bulk_connection, insert_batch, insert_rows, next_id
from storage.demo_people import (
    FIRST_F,
    FIRST_F_CUM,
    FIRST_M,
    FIRST_M_CUM,
    PATRONYMIC_F,
    PATRONYMIC_M,
    SURNAMES_F,
    SURNAMES_M,
    PeopleMaker,
    pick,
)
from storage.demo_pipe import BESIDE_MIN_CLIENTS, RowsPlan, made_in_order, rows_beside, spare_core
from storage.demo_world import DAY, Counters, DemoRandom, Rows, World, stamp, weekday
from storage.engine import database_url, make_engine, write
from storage.migrate import upgrade
from storage.reference import DEFAULT_DESK
from storage.tables import (
    ClientRow,
    DeskRow,
    EmployeeRow,
    ProductRow,
    RegionRow,
    SmsTemplateRow,
    TownRow,
    metadata,
)
from storage.users import add_employee

BATCH = 10_000  # clients per transaction
DESKS = [D.MAIN_DESK, D.SECOND_DESK]
# (login = password, role, desk indices)
EMPLOYEES: list[tuple[str, str, list[int]]] = [
    ("admin", "admin", [0, 1]),
    ("supervisor", "supervisor", [0]),
    ("operator", "operator", [0]),
    ("operator2", "operator", [1]),
    ("sme", "sme", [0]),
    ("office", "office", [0]),
    ("chief", "administration", [0, 1]),  # the seed's two default roles (001)
    ("sales", "sales_manager", [0]),
]
SEED_ROLES = frozenset({"administration", "sales_manager"})  # named by a generator of their own
# Towns by rough population (others weigh 1).
TOWN_WEIGHTS = {
    "Москва": 40, "Санкт-Петербург": 18, "Екатеринбург": 5, "Новосибирск": 5, "Казань": 4,
    "Нижний Новгород": 4, "Самара": 4, "Краснодар": 3, "Ростов-на-Дону": 4, "Воронеж": 3, "Омск": 3,
    "Челябинск": 4, "Ярославль": 2, "Кострома": 2, "Тольятти": 2, "Балашиха": 2, "Химки": 2, "Подольск": 2,
}  # fmt: skip
SLOT_BOOKED = [(0, 40), (1, 20), (2, 14), (3, 10), (4, 7), (5, 9)]  # booked places -> weight
SLOT_TABLES = ["office", "office_slot", "campaign"]


@dataclass
class DemoReport:
    target: str  # the database file or URL
    clients: int
    seconds: float
    logins: list[tuple[str, str, str]]  # (login, role code, desk name)


def build_demo(
    target: str,
    clients: int = 2000,
    seed: int = 7,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    now: datetime = D.DEMO_NOW,
    beside: bool | None = None,
) -> DemoReport:
    """Build the demo database at `target` (a SQLite file or a database URL).

    Refuses a database that has clients or demo logins unless `force`, which wipes it first.
    `now` is the instant the history leads up to (a constant by default, for reproducibility).
    `progress(stage, done, total)` follows the stages "prepare", "clients" (per batch of
    clients) and "indexes" (made again after the load). The report's target hides a URL's
    password. `beside`: make the rows in a second process while this one writes them (default:
    for `storage.demo_pipe.BESIDE_MIN_CLIENTS` clients or more on a machine with a core to spare);
    the rows are the same either way.
    """
    if clients < 1:
        raise ValidationFailed("The demo needs at least one client.", "clients")
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    shown = make_url(target).render_as_string(hide_password=True) if "://" in target else target
    started = time.perf_counter()
    tell = progress or (lambda _stage, _done, _total: None)
    engine = _prepare(target, shown, force)  # refused or unreachable: no progress shown yet
    tell("prepare", 0, 1)
    try:
        rng = DemoRandom(seed)
        now_ts = int(now.timestamp())
        logins, staff = _employees(engine, rng, now)
        tell("prepare", 1, 1)
        world, slots = _reference(engine, rng, now_ts, staff, clients)
        maker = PeopleMaker(rng, world, Counters())
        _load_people(engine, maker, world, clients, slots, tell, beside)
        _visitors_dates(engine)
        after_load(engine, LOAD_ORDER + SLOT_TABLES)
        logins += demo_broker.build(engine, now, seed)  # the Forex desk: storage.demo_broker
    finally:
        engine.dispose()
    return DemoReport(target=shown, clients=clients, seconds=time.perf_counter() - started, logins=logins)


# --- the database itself ------------------------------------------------------------------


def _prepare(target: str, shown: str, force: bool) -> Engine:
    """An engine on a migrated database with no clients; wiped first when `force`."""
    engine = make_engine(target)
    try:
        occupied = _occupied(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StoreUnavailable(f"Cannot reach the database {shown}: {exc.orig}") from None
    if occupied and not force:
        engine.dispose()
        raise ValidationFailed(f"A CRM database with {occupied} at {shown} exists; use --force to rebuild it.")
    if force:
        if engine.dialect.name == "sqlite":
            engine.dispose()
            database = make_url(database_url(target)).database
            if database and database != ":memory:":
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(database + suffix).unlink(missing_ok=True)
            engine = make_engine(target)
        else:
            metadata.drop_all(engine)
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(engine)
    return engine


def _occupied(engine: Engine) -> str | None:
    tables = inspect(engine)
    if not tables.has_table("client"):
        return None
    with engine.connect() as conn:
        if conn.scalar(select(ClientRow.id).limit(1)) is not None:
            return "clients"
        if conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login.in_([e[0] for e in EMPLOYEES])).limit(1)):
            return "demo logins"
    return None


def _employees(engine: Engine, rng: random.Random, now: datetime) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    logins = []
    with write(engine) as conn:  # the reference data's default desk, under its Russian name
        conn.execute(update(DeskRow).where(DeskRow.name == DEFAULT_DESK).values(name=D.MAIN_DESK))
    for login, role, desks in EMPLOYEES:
        # the seed roles' employees draw from their own generator: every other generated row stays the same
        r = random.Random(login) if role in SEED_ROLES else rng
        if r.random() < 0.5:
            sur, first, patr = r.choice(SURNAMES_M), pick(r, FIRST_M, FIRST_M_CUM), r.choice(PATRONYMIC_M)
        else:
            sur, first, patr = r.choice(SURNAMES_F), pick(r, FIRST_F, FIRST_F_CUM), r.choice(PATRONYMIC_F)
        mobile = f"+7{r.choice(D.MOBILE_CODES)}{r.randrange(10**7):07d}"
        names = [DESKS[i] for i in desks]
        add_employee(engine, login, f"{sur[0]} {first[0]} {patr[0]}", login, role, names, mobile, now)
        logins.append((login, role, ", ".join(names)))
    with engine.connect() as conn:
        staff = dict(conn.execute(select(EmployeeRow.login, EmployeeRow.id)).all())
    return logins, staff


def _reference(
    engine: Engine, rng: random.Random, now_ts: int, staff: dict[str, int], clients: int
) -> tuple[World, list[tuple]]:
    """Offices with a week of slots and campaigns; the World the client maker needs."""
    with write(engine) as conn:
        desk_ids = [conn.scalar(select(DeskRow.id).where(DeskRow.name == name)) for name in DESKS]
        regions = dict(conn.execute(select(RegionRow.id, RegionRow.name)).all())
        towns = [
            (t.id, t.region_id, t.name, regions[t.region_id])
            for t in conn.execute(select(TownRow.id, TownRow.region_id, TownRow.name).order_by(TownRow.id))
        ]
        products = {
            p.code: (p.id, p.category, p.is_card)
            for p in conn.execute(select(ProductRow.id, ProductRow.code, ProductRow.category, ProductRow.is_card))
        }
        templates = [
            (t.code, t.name, t.text)
            for t in conn.execute(select(SmsTemplateRow.code, SmsTemplateRow.name, SmsTemplateRow.text))
        ]
        templates.sort()

        town_by_name = {t[2]: t for t in towns}
        office_rows, offices = [], []
        office_id = next_id(conn, "office")
        for code, town_name, name, address, keywords in D.OFFICES:
            town = town_by_name.get(town_name)
            if town is None:
                continue
            area = D.AREA_CODES.get(town[3], ["495"])[0]
            phone = f"+7{area}{rng.randint(2 * 10 ** (9 - len(area)), 10 ** (10 - len(area)) - 1)}"
            full = f"{town_name}, {address}"
            zone = D.REGION_TIMEZONE.get(town[3], "Europe/Moscow")
            office_rows.append((office_id, code, name, town[1], town[0], full, keywords, D.OFFICE_HOURS, phone, zone))
            offices.append((office_id, town[0], town[1], full, D.REGION_UTC_OFFSET.get(town[3], 3)))
            office_id += 1
        insert_rows(conn, "office", office_rows)
        slots = _slots(conn, rng, offices, now_ts, clients)

        campaign_rows, campaigns = [], []
        scripts = shipped_scripts()
        campaign_id = next_id(conn, "campaign")
        by_desk: list[list[int]] = [[], []]
        for code, name, desk, offered in D.CAMPAIGNS:
            campaign_rows.append(
                (
                    campaign_id,
                    code,
                    name,
                    True,
                    scripts.get(code, D.SCRIPT_PLACEHOLDER.format(name=name)),
                    desk_ids[desk],
                )
            )
            by_desk[desk].append(len(campaigns))
            campaigns.append((campaign_id, [products[p][0] for p in offered if p in products]))
            campaign_id += 1
        insert_rows(conn, "campaign", campaign_rows)

    office_tuples = [(o[0], o[3], o[4]) for o in offices]
    by_town: dict[int, list[tuple[int, str, int]]] = {}
    by_region: dict[int, list[tuple[int, str, int]]] = {}
    for o, t in zip(offices, office_tuples, strict=True):
        by_town.setdefault(o[1], []).append(t)
        by_region.setdefault(o[2], []).append(t)
    main = [staff["operator"], staff["operator"], staff["operator"], staff["supervisor"], staff["sme"]]
    world = World(
        now_ts=now_ts,
        first_client_id=0,  # set by the loader
        desk_ids=desk_ids,
        towns=towns,
        town_cum=list(accumulate(TOWN_WEIGHTS.get(t[2], 1) for t in towns)),
        responsible=[main, [staff["operator2"]]],
        office_employee=staff["office"],
        campaigns=campaigns,
        campaigns_by_desk=by_desk,
        offices_by_town=by_town,
        offices_by_region=by_region,
        all_offices=office_tuples,
        products=products,
        templates=templates,
    )
    return world, slots


def _slots(conn, rng: random.Random, offices: list[tuple], now_ts: int, clients: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    """A week of 30-minute slots from today, 9:00-19:00 on weekdays and 10:00-17:00 on Saturdays (local)."""
    cum = list(accumulate(w for _, w in SLOT_BOOKED))
    share = min(1.0, max(0.03, clients / 20_000))  # a small demo books a few slots, not thousands
    rows = []
    slot_id = next_id(conn, "office_slot")
    today = now_ts - now_ts % DAY
    for office_id, town_id, _region_id, address, offset in offices:
        for day in range(7):
            midnight = today + day * DAY - offset * 3600  # local midnight in UTC
            wday = weekday(today + day * DAY)
            if wday == 6:
                continue
            first, last = (20, 34) if wday == 5 else (18, 38)  # half-hours since midnight
            for half in range(first, last):
                booked = SLOT_BOOKED[bisect(cum, rng.randrange(cum[-1]))][0] if rng.random() < share else 0
                rows.append((slot_id, office_id, midnight + half * 1800, 5, booked, town_id, address))
                slot_id += 1
    insert_rows(conn, "office_slot", [(r[0], r[1], stamp(r[2]), r[3], r[4]) for r in rows])
    return rows


# --- clients ------------------------------------------------------------------------------

# The derived dates of views (M5) come with each client's row, from the history made with it
# (`HistoryMaker.entry`); the booked visits' calls, made once every client exists, move their
# clients' dates after the load: the backfill's own statement, for those clients alone. (The
# backfill of every card after the load rewrote the whole client table and three of its indexes.)
VISITORS_DATES = activity.BACKFILL + " WHERE id IN (SELECT client_id FROM booking)"


def _visitors_dates(engine: Engine) -> None:
    with write(engine) as conn:
        conn.exec_driver_sql(VISITORS_DATES)


def _load_people(
    engine: Engine,
    maker: PeopleMaker,
    world: World,
    clients: int,
    slots: list[tuple],
    tell: Callable[[str, int, int], None],
    beside: bool | None = None,
) -> None:
    """Clients in batches of `BATCH`, then the booked visits; the rows made beside the load
    (`storage.demo_pipe`) for a big build on a machine with a core to spare, or as `beside` says."""
    with bulk_connection(engine, tell) as conn:
        n = maker.n
        first_id = next_id(conn, "client")
        world.first_client_id = first_id
        n.phone, n.email, n.contact = next_id(conn, "phone"), next_id(conn, "email"), next_id(conn, "contact")
        n.client_product, n.card_transaction = next_id(conn, "client_product"), next_id(conn, "card_transaction")
        n.contact_change, n.sms_outbox = next_id(conn, "contact_change"), next_id(conn, "sms_outbox")
        source = DemoRows(maker, world, slots, first_id, clients, next_id(conn, "booking"))
        conn.commit()
        long_count = min(5, clients // 100)
        long_ids = frozenset(first_id + (k + 1) * clients // (long_count + 1) for k in range(long_count))
        plan = RowsPlan([(first_id + s, min(BATCH, clients - s)) for s in range(0, clients, BATCH)], long_ids)
        if beside is None:
            beside = clients >= BESIDE_MIN_CLIENTS and spare_core()
        made = rows_beside(source, plan) if beside else nullcontext(made_in_order(source, plan))
        tell("clients", 0, clients)
        with made as batches:
            for done, rows in enumerate(batches, 1):
                insert_batch(conn, rows)  # the last one: the booked visits
                if done <= len(plan.batches):
                    tell("clients", min(done * BATCH, clients), clients)


@dataclass
class DemoRows:
    """The rows of the clients and of their booked visits, from the maker's state (picklable)."""

    maker: PeopleMaker
    world: World
    slots: list[tuple]
    first_id: int
    clients: int
    booking_id: int

    def batch_rows(self, first_id: int, count: int, long_ids: frozenset[int]) -> Rows:
        return self.maker.batch(first_id, count, long_ids).rows

    def closing_rows(self) -> Rows:
        """The booked places of the slots: an Agreed call (K8) for each, with its booking row."""
        maker, world = self.maker, self.world
        rng, rows = maker.rng, {name: [] for name in ("contact", "contact_product", "booking")}
        booking_id, first_id, clients = self.booking_id, self.first_id, self.clients
        for slot_id, office_id, starts_at, _capacity, booked, town_id, _address in self.slots:
            people = maker.town_clients.get(town_id) or []
            if len(people) >= booked:
                visitors = rng.sample(people, booked)
            else:
                visitors = [rng.randrange(first_id, first_id + clients) for _ in range(booked)]
            for client_id in visitors:
                visit = starts_at
                at = min(world.now_ts, visit) - rng.randint(3600, 5 * DAY)
                campaign_id, offered = rng.choice(world.campaigns)
                employee = rng.choice(world.responsible[0] + world.responsible[1])
                contact_id = maker.entry(
                    rows, client_id, "call", at, at + rng.randint(120, 600), campaign_id, "agreed",
                    employee=employee, office=office_id, visit=visit,
                )  # fmt: skip
                rows["contact_product"].extend((contact_id, p) for p in offered[:1])
                rows["booking"].append((booking_id, slot_id, client_id, contact_id, stamp(at)))
                booking_id += 1
        return rows
