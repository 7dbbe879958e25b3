"""The demo database builder: reproducible, complete, refuses to overwrite without --force,
and works on PostgreSQL with the same inserts."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import Engine, func, insert, inspect, select

from core.calls.scripts import check_script_text
from core.clients.card_rules import passport_key
from core.clients.names import latin_key, name_key
from core.console import LocalConsole
from core.errors import ValidationFailed
from storage import demo_broker
from storage.demo import DemoReport, build_demo
from storage.demo_data import DEMO_NOW
from storage.demo_load import LOAD_ORDER
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from storage.tables import ClientRow, ContactRow
from tests.pg import PostgresServer

CLIENTS = 300
DIGEST_TABLES = [
    "client",
    "phone",
    "email",
    "contact",
    "contact_product",
    "client_product",
    "card_transaction",
    "contact_change",
    "sms_outbox",
    "campaign_member",
    "office",
    "office_slot",
    "booking",
    "campaign",
]
LOGINS = [
    ("admin", "admin", "Основная группа, Группа удержания"),
    ("supervisor", "supervisor", "Основная группа"),
    ("operator", "operator", "Основная группа"),
    ("operator2", "operator", "Группа удержания"),
    ("sme", "sme", "Основная группа"),
    ("office", "office", "Основная группа"),
    ("chief", "administration", "Основная группа, Группа удержания"),
    ("sales", "sales_manager", "Основная группа"),
    ("forex", "supervisor", "Forex"),  # storage.demo_broker
]
NOW = DEMO_NOW.strftime("%Y-%m-%d %H:%M:%S")  # SQLite keeps datetimes as text in this form


def digest(path: Path) -> str:
    """Every row of the generated tables, in primary-key order (password hashes are salted: left out)."""
    h = hashlib.sha256()
    with sqlite3.connect(path) as db:
        for name in DIGEST_TABLES:
            for row in db.execute(f"SELECT * FROM {name} ORDER BY 1, 2"):
                h.update(repr(row).encode())
        for row in db.execute("SELECT login, full_name, mobile, role_id FROM employee ORDER BY id"):
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two builds with the same seed and one with another; each file built once for the module."""
    root = tmp_path_factory.mktemp("demo")
    stages: list[str] = []
    a = build_demo(str(root / "a.sqlite3"), CLIENTS, seed=7, progress=lambda s, d, t: stages.append(s))
    b = build_demo(str(root / "b.sqlite3"), CLIENTS, seed=7)
    c = build_demo(str(root / "c.sqlite3"), CLIENTS, seed=8)
    return {"a": a, "b": b, "c": c, "root": root, "stages": stages}


@pytest.fixture(scope="module")
def db(built: dict[str, object]) -> sqlite3.Connection:
    conn = sqlite3.connect(built["root"] / "a.sqlite3")  # type: ignore[operator]
    yield conn
    conn.close()


def one(db: sqlite3.Connection, sql: str, *params: object) -> object:
    return db.execute(sql, params).fetchone()[0]


# --- reproducibility and --force ------------------------------------------------------------


def test_the_same_seed_gives_the_same_data(built: dict[str, object]) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    assert digest(root / "a.sqlite3") == digest(root / "b.sqlite3")


def test_another_seed_gives_other_data(built: dict[str, object]) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    assert digest(root / "a.sqlite3") != digest(root / "c.sqlite3")


def test_the_report(built: dict[str, object]) -> None:
    report: DemoReport = built["a"]  # type: ignore[assignment]
    assert report.clients == CLIENTS
    assert report.target.endswith("a.sqlite3")
    assert report.seconds > 0
    assert report.logins == LOGINS
    stages: list[str] = built["stages"]  # type: ignore[assignment]
    assert {"prepare", "clients", "indexes"} <= set(stages)


def test_an_existing_database_is_rebuilt_only_with_force(built: dict[str, object], tmp_path: Path) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    target = tmp_path / "d.sqlite3"
    build_demo(str(target), 50, seed=8)
    before = digest(target)
    with pytest.raises(ValidationFailed, match="--force"):
        build_demo(str(target), CLIENTS, seed=8)
    assert digest(target) == before  # untouched
    build_demo(str(target), CLIENTS, seed=8, force=True)
    assert digest(target) == digest(root / "c.sqlite3")  # a clean rebuild, the same as a fresh one


def test_a_database_with_demo_logins_but_no_clients_is_refused(sqlite_store: str) -> None:
    from storage.users import add_employee

    add_employee(make_engine(sqlite_store), "admin", "Иванов Иван", "secret", "admin", [], "+79161234567", DEMO_NOW)
    with pytest.raises(ValidationFailed, match="--force"):
        build_demo(sqlite_store, 10)


def schema(engine: Engine) -> dict[str, object]:
    """The indexes and foreign keys of the tables the bulk load fills (it drops some meanwhile)."""
    found = inspect(engine)
    try:
        return {
            name: (
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(name)),
                sorted((tuple(k["constrained_columns"]), k["referred_table"]) for k in found.get_foreign_keys(name)),
            )
            for name in LOAD_ORDER
        }
    finally:
        engine.dispose()


def test_the_load_leaves_every_index_it_dropped(built: dict[str, object], sqlite_template: Path) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    assert schema(make_engine(str(root / "a.sqlite3"))) == schema(make_engine(str(sqlite_template)))


# --- what is in it --------------------------------------------------------------------------


def test_logins_roles_and_desks(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT e.login, r.code, group_concat(d.name, ', '), e.mobile, e.full_name FROM employee e"
        " JOIN role r ON r.id = e.role_id JOIN employee_desk ed ON ed.employee_id = e.id"
        " JOIN desk d ON d.id = ed.desk_id GROUP BY e.id ORDER BY e.id"
    ).fetchall()

    def by_name(desks: str) -> str:
        return ", ".join(sorted(desks.split(", ")))

    assert [(login, role, by_name(desks)) for login, role, desks, _, _ in rows] == [
        (login, role, by_name(desks)) for login, role, desks in LOGINS
    ]
    for _login, _role, _desks, mobile, full in rows:
        assert re.fullmatch(r"\+79\d{9}", mobile)
        assert len(full.split()) == 3


def test_an_operator_signs_in_and_sees_only_the_own_desk(built: dict[str, object], db: sqlite3.Connection) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    repo = SqlRepository(make_engine(str(root / "a.sqlite3")))
    console = LocalConsole(repo)
    challenge = console.sign_in("operator2", "operator2")
    code = re.search(r"\d{4,8}", repo.outbox(1)[0].text).group()  # type: ignore[union-attr]
    assert console.verify_code(challenge.challenge_id, code).employee.desks == ["Группа удержания"]
    for desk, visible in (("Группа удержания", True), ("Основная группа", False)):
        client_id, number = db.execute(
            "SELECT c.id, p.e164 FROM client c JOIN desk d ON d.id = c.desk_id JOIN phone p ON p.client_id = c.id"
            " WHERE d.name = ? AND NOT c.possible_duplicate ORDER BY c.id LIMIT 1",
            (desk,),
        ).fetchone()
        found = [s.id for s in console.search(number)]
        assert (client_id in found) is visible
    repo.engine.dispose()


def test_every_client_has_a_phone_and_search_keys(db: sqlite3.Connection) -> None:
    assert one(db, "SELECT count(*) FROM client") == CLIENTS + demo_broker.CLIENTS
    assert one(db, "SELECT count(*) FROM client WHERE id NOT IN (SELECT client_id FROM phone)") == 0
    for surname, first, patronymic, key, latin, series, number, pkey in db.execute(
        "SELECT surname, first_name, patronymic, name_key, name_latin, passport_series, passport_number,"
        " passport_key FROM client"
    ):
        assert key == name_key(surname, first, patronymic)
        assert latin == latin_key(key)
        assert pkey == passport_key(series, number)
        if series:
            assert re.fullmatch(r"\d{4}", series) and re.fullmatch(r"\d{6}", number)
    # male and female forms agree: a patronymic in -вна goes with a surname that is not a male form
    women = db.execute("SELECT surname FROM client WHERE patronymic LIKE '%вна'").fetchall()
    assert women and all(s.endswith(("а", "я")) for (s,) in women)


def test_phones_are_valid_e164_some_shared_some_struck(db: sqlite3.Connection) -> None:
    numbers = [n for (n,) in db.execute("SELECT e164 FROM phone")]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(n, None)) for n in numbers)
    assert all(re.fullmatch(r"\+7\d{10}", n) for n in numbers)
    assert len(set(numbers)) < len(numbers)  # a few cards share a number: duplicates to show
    assert one(db, "SELECT count(*) FROM client WHERE possible_duplicate") > 0
    struck = db.execute("SELECT DISTINCT strike_reason FROM phone WHERE status = 'struck'").fetchall()
    assert struck and all(r is not None for (r,) in struck)
    assert one(db, "SELECT count(*) FROM phone WHERE status = 'active' AND strike_reason IS NOT NULL") == 0
    assert one(db, "SELECT count(*) FROM email WHERE address_key != lower(address)") == 0


def test_desks_responsibles_and_referrers(db: sqlite3.Connection) -> None:
    per_desk = dict(db.execute("SELECT d.name, count(*) FROM client c JOIN desk d ON d.id = c.desk_id GROUP BY 1"))
    assert set(per_desk) == {"Основная группа", "Группа удержания", "Forex"}  # Russian names in Russian bank data
    assert one(db, "SELECT count(*) FROM client WHERE responsible_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM client WHERE referrer_id IS NOT NULL") > 0
    assert one(db, "SELECT count(*) FROM client WHERE referrer_id >= id") == 0
    types = {t for (t,) in db.execute("SELECT DISTINCT client_type FROM client")}
    assert len(types) >= 5


def test_campaigns_offices_and_slots(db: sqlite3.Connection) -> None:
    campaigns = db.execute("SELECT code, script FROM campaign WHERE active").fetchall()
    assert len(campaigns) >= 3
    assert all(check_script_text(script) == [] for _code, script in campaigns)  # the shipped scripts
    offices = db.execute("SELECT id, address, keywords FROM office").fetchall()
    assert len(offices) >= 10
    assert all(address and "," in keywords for _, address, keywords in offices)
    assert one(db, "SELECT count(DISTINCT town_id) FROM office") >= 5
    assert one(db, "SELECT count(*) FROM office WHERE id NOT IN (SELECT office_id FROM office_slot)") == 0
    assert one(db, "SELECT count(*) FROM office_slot WHERE booked > capacity OR capacity != 5") == 0
    assert one(db, "SELECT count(*) FROM office_slot WHERE booked BETWEEN 1 AND 4") > 0  # partly booked
    assert (
        one(
            db,
            "SELECT count(*) FROM office_slot s WHERE booked != (SELECT count(*) FROM booking b WHERE b.slot_id = s.id)",
        )
        == 0
    )
    # Moscow offices open 9:00-19:00 local (UTC+3): slots start between 06:00 and 15:30 UTC
    hours = db.execute(
        "SELECT min(time(starts_at)), max(time(starts_at)) FROM office_slot s JOIN office o ON o.id = s.office_id"
        " WHERE o.code = 'MSK-01'"
    ).fetchone()
    assert hours == ("06:00:00", "15:30:00")
    # Omsk keeps its own time (UTC+6): its office says so, and its slots open at 09:00 Omsk = 03:00 UTC
    assert one(db, "SELECT timezone FROM office WHERE code = 'OMS-01'") == "Asia/Omsk"
    assert one(db, "SELECT timezone FROM office WHERE code = 'MSK-01'") == "Europe/Moscow"
    first = one(
        db, "SELECT min(time(starts_at)) FROM office_slot s JOIN office o ON o.id = s.office_id WHERE o.code = 'OMS-01'"
    )
    assert first == "03:00:00"
    days = [d for (d,) in db.execute("SELECT DISTINCT date(starts_at) FROM office_slot ORDER BY 1")]
    assert days[0] == DEMO_NOW.date().isoformat() and len(days) >= 6  # a week, closed on Sunday


def test_history_of_several_kinds(db: sqlite3.Connection) -> None:
    kinds = dict(db.execute("SELECT kind, count(*) FROM contact GROUP BY kind"))
    assert set(kinds) >= {"call", "sms", "visit", "comment", "status"}
    per_client = CLIENTS and one(db, "SELECT count(*) FROM contact") / CLIENTS
    assert per_client >= 3
    assert one(db, "SELECT max(n) FROM (SELECT count(*) AS n FROM contact GROUP BY client_id)") >= 500
    results = {r for (r,) in db.execute("SELECT DISTINCT result FROM contact WHERE kind = 'call'")}
    assert {"not_reached", "callback", "think", "refused", "agreed", "consultation"} <= results
    assert one(db, "SELECT count(*) FROM contact WHERE kind = 'call' AND (ended_at <= at OR campaign_id IS NULL)") == 0
    assert one(db, f"SELECT count(*) FROM contact WHERE at > '{NOW}'") == 0
    assert (
        one(db, "SELECT count(*) FROM contact WHERE result = 'agreed' AND (office_id IS NULL OR visit_at IS NULL)") == 0
    )
    assert one(db, "SELECT count(*) FROM contact WHERE result = 'agreed' AND visit_at <= at") == 0
    # every SMS in the history has its outbox row, sent
    assert one(db, "SELECT count(*) FROM contact WHERE kind = 'sms'") == one(
        db, "SELECT count(*) FROM sms_outbox WHERE purpose != 'sign_in_code'"
    )
    assert (
        one(
            db,
            "SELECT count(*) FROM sms_outbox WHERE purpose != 'sign_in_code' AND (status != 'sent' OR sent_at IS NULL)",
        )
        == 0
    )
    assert one(db, "SELECT count(*) FROM contact_product") > 0


def test_products_transactions_changes_and_call_lists(db: sqlite3.Connection) -> None:
    assert one(db, "SELECT count(*) FROM client_product WHERE closed_on IS NULL") > 0
    assert one(db, "SELECT count(*) FROM client_product WHERE closed_on IS NOT NULL") > 0
    assert one(db, "SELECT count(*) FROM client_product WHERE closed_on <= opened_on") == 0
    tx = dict(db.execute("SELECT kind, count(*) FROM card_transaction GROUP BY kind"))
    assert set(tx) == {"deposit", "purchase"}
    assert (
        one(
            db,
            "SELECT count(*) FROM card_transaction t JOIN client_product cp ON cp.id = t.client_product_id"
            " JOIN product p ON p.id = cp.product_id WHERE NOT p.is_card OR t.client_id != cp.client_id",
        )
        == 0
    )
    fields = {f for (f,) in db.execute("SELECT DISTINCT field FROM contact_change")}
    assert {"phone", "phone_status"} <= fields
    assert one(db, "SELECT count(*) FROM campaign_member WHERE state = 'callback'") > 0
    assert one(db, f"SELECT count(*) FROM campaign_member WHERE state = 'callback' AND next_call_at <= '{NOW}'") > 0
    assert (
        one(db, "SELECT count(*) FROM campaign_member m JOIN client c ON c.id = m.client_id WHERE c.do_not_disturb")
        == 0
    )


def test_results_and_reasons_are_in_the_catalogue(db: sqlite3.Connection) -> None:
    results = pytest.importorskip("core.calls.catalogue")
    cat = results.catalogue()
    for result, reason in db.execute("SELECT DISTINCT result, reason FROM contact WHERE kind = 'call'"):
        definition = cat.get(result)
        assert definition is not None, result
        if reason is not None:
            assert definition.reason(reason) is not None, (result, reason)
        else:
            assert not definition.reason_required, result


# --- PostgreSQL -----------------------------------------------------------------------------


def test_postgresql_build_force_and_sequences(pg_server: PostgresServer, pg_template: str) -> None:
    name = f"crm_demo_{os.getpid()}"
    url = pg_server.create_database(name)
    try:
        report = build_demo(url, 120, seed=3)
        assert report.logins == LOGINS
        # the indexes and foreign keys dropped for the load are all back
        assert schema(make_engine(url)) == schema(make_engine(pg_server.url(pg_template)))
        with pytest.raises(ValidationFailed, match="--force"):
            build_demo(url, 120, seed=3)
        build_demo(url, 150, seed=4, force=True)
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                assert conn.scalar(select(func.count()).select_from(ClientRow)) == 150 + demo_broker.CLIENTS
                assert conn.scalar(select(func.count()).select_from(ContactRow)) >= 450
                # the id sequences were moved past the explicit ids: new rows get fresh ids
                for table in ("client", "phone", "contact", "sms_outbox", "office_slot", "booking", "campaign"):
                    highest = conn.exec_driver_sql(f'SELECT max(id) FROM "{table}"').scalar()
                    following = conn.exec_driver_sql(
                        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                    ).scalar()
                    assert following > highest, table
                conn.execute(insert(ContactRow).values(client_id=1, kind="comment", at=DEMO_NOW, comment="x"))
        finally:
            engine.dispose()
    finally:
        pg_server.drop_database(name)


def test_the_forex_desk(db: sqlite3.Connection) -> None:
    """storage.demo_broker: leads, demo and live clients, accounts, trades, money requests over several
    payment systems, all made through the platform's event path."""
    forex = "SELECT lifecycle, count(*) FROM client c JOIN desk d ON d.id = c.desk_id WHERE d.name = 'Forex' GROUP BY 1"
    stages = dict(db.execute(forex))
    assert set(stages) == {"lead", "demo", "live"} and sum(stages.values()) == demo_broker.CLIENTS
    assert one(db, "SELECT count(*) FROM trading_account") == stages["live"]
    assert one(db, "SELECT count(*) FROM trade") > 0
    assert one(db, "SELECT count(DISTINCT payment_system) FROM money_request") >= 3
    assert {r[0] for r in db.execute("SELECT DISTINCT status FROM money_request")} == {"pending", "executed", "failed"}
    assert one(db, "SELECT count(*) FROM platform_event WHERE outcome != 'applied'") == 0


def test_only_the_forex_desk_carries_a_broker_lifecycle(built: dict[str, object], db: sqlite3.Connection) -> None:
    """C13 is the broker's: the bank's clients are never Demo or Live, and their card shows no stage."""
    bank = "SELECT DISTINCT c.lifecycle FROM client c JOIN desk d ON d.id = c.desk_id WHERE NOT d.broker"
    assert [r[0] for r in db.execute(bank)] == ["lead"]
    assert [r[0] for r in db.execute("SELECT name FROM desk WHERE broker")] == ["Forex"]
    pick = "SELECT c.id FROM client c JOIN desk d ON d.id = c.desk_id WHERE d.broker = ? AND c.lifecycle = 'lead'"
    bank_client, forex_lead = (one(db, pick + " ORDER BY c.id LIMIT 1", flag) for flag in (0, 1))
    repo = SqlRepository(make_engine(str(built["root"] / "a.sqlite3")))  # type: ignore[operator]
    console = LocalConsole(repo)
    console.act_as_local_admin()
    assert not console.open_card(bank_client).shows_stage  # type: ignore[arg-type]
    assert console.open_card(forex_lead).shows_stage  # type: ignore[arg-type]
    repo.engine.dispose()
