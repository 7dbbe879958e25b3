"""Test helpers: a database with employees, and consoles signed in through the real two-step flow."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from core.clients.inputs import NewClient
from core.clients.models import ClientCard
from core.clock import FixedClock
from core.console import LocalConsole
from core.vocab import SmsPurpose
from storage.engine import make_engine, read
from storage.sql_repository import SqlRepository
from storage.tables import metadata
from storage.users import add_employee

PASSWORD = "s3cret-Pass"
T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # a Monday morning
MAIN_DESK = "Main desk"
# argon2id at a test's cost: the library defaults take ~0.25 s a hash here, and the tests sign in
# hundreds of times. The algorithm stays argon2id; only the cost parameters are lowered.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

_mobiles = itertools.count(1)
_CODE_RE = re.compile(r"code: (\d{6})")


class Crm:
    """One migrated database (SQLite file or PostgreSQL URL) seen through the real code."""

    def __init__(self, target: str, clock: FixedClock) -> None:
        self.target = target
        self.clock = clock
        self.engine: Engine = make_engine(target)
        self.repo = SqlRepository(self.engine)
        self.mobiles: dict[str, str] = {}

    @property
    def engine_name(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- people -----------------------------------------------------------------------------

    def add_employee(
        self,
        login: str,
        role: str = "supervisor",
        desks: tuple[str, ...] | list[str] = (MAIN_DESK,),
        totp: bool = False,
        password: str = PASSWORD,
        full_name: str | None = None,
    ) -> str | None:
        """Create an employee; returns the TOTP secret when `totp`."""
        mobile = None if totp else f"+7900{1_000_000 + next(_mobiles)}"
        if mobile:
            self.mobiles[login] = mobile
        return add_employee(
            self.engine,
            login,
            full_name or f"{login.capitalize()} Testov",
            password,
            role,
            list(desks),
            mobile,
            self.clock.now(),
            totp=totp,
        )

    def new_console(self) -> LocalConsole:
        return LocalConsole(SqlRepository(self.engine), clock=self.clock)

    def last_code(self, login: str) -> str:
        """The newest sign-in code sent to the employee's mobile, read from the SMS outbox."""
        mobile = self.mobiles[login]
        for item in self.repo.outbox(100):
            if item.to == mobile and item.purpose == SmsPurpose.SIGN_IN_CODE:
                match = _CODE_RE.search(item.text)
                assert match, item.text
                return match.group(1)
        raise AssertionError(f"no sign-in code was sent to {mobile}")

    def sign_in(self, login: str, password: str = PASSWORD) -> LocalConsole:
        console = self.new_console()
        challenge = console.sign_in(login, password)
        assert challenge.channel == "sms"
        console.verify_code(challenge.challenge_id, self.last_code(login))
        return console

    def console(
        self,
        login: str,
        role: str = "supervisor",
        desks: tuple[str, ...] | list[str] = (MAIN_DESK,),
    ) -> LocalConsole:
        """A new employee, signed in by password and the SMS code."""
        self.add_employee(login, role=role, desks=desks)
        return self.sign_in(login)

    # --- data -------------------------------------------------------------------------------

    def region_id(self, name: str) -> int:
        return next(r.id for r in self.repo.regions() if r.name == name)

    def town_id(self, region_id: int, name: str) -> int:
        return next(t.id for t in self.repo.towns(region_id) if t.name == name)

    def count(self, table: str, **where: object) -> int:
        tbl = metadata.tables[table]
        query = select(func.count()).select_from(tbl)
        for column, value in where.items():
            query = query.where(tbl.c[column] == value)
        with read(self.engine) as conn:
            return conn.scalar(query) or 0

    def rows_by_key(self, table: str, key: object) -> list:  # type: ignore[type-arg]
        """The rows of a table whose primary key (one column) is `key`."""
        tbl = metadata.tables[table]
        (column,) = tbl.primary_key.columns
        with read(self.engine) as conn:
            return list(conn.execute(select(tbl).where(column == key)))

    def rows(self, table: str, **where: object) -> list:  # type: ignore[type-arg]
        tbl = metadata.tables[table]
        query = select(tbl)
        for column, value in where.items():
            query = query.where(tbl.c[column] == value)
        with read(self.engine) as conn:
            return list(conn.execute(query.order_by(tbl.c.id)))


def draft(
    surname: str = "Иванов",
    first_name: str = "Иван",
    patronymic: str = "Иванович",
    phones: tuple[str, ...] | list[str] = ("+79123456789",),
    **extra: object,
) -> NewClient:
    values: dict[str, object] = {"birth_date": date(1980, 5, 17), "client_type": "interested", **extra}
    return NewClient(surname=surname, first_name=first_name, patronymic=patronymic, phones=list(phones), **values)


def new_client(console: LocalConsole, allow_duplicate: bool = False, **kwargs: object) -> ClientCard:
    return console.create_client(draft(**kwargs), allow_duplicate=allow_duplicate)  # type: ignore[arg-type]
