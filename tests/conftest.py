"""Fixtures: a real PostgreSQL server for the session, migrated databases on both engines,
consoles signed in through the real two-step flow, a fixed clock.

PostgreSQL tests are skipped LOUDLY (a warning and a line in the summary) when no server
binaries exist; with CRM_TEST_REQUIRE_POSTGRES=1 (set by scripts/test.sh in CI) they fail instead.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from api.app import settle_gc
from core.access import sign_in
from core.clock import FixedClock
from core.console import LocalConsole
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.helpers import CHEAP_HASHER, T0, Crm
from tests.pg import PostgresServer, PostgresUnavailable, find_binaries

ENGINES = ("sqlite", "postgresql")
_pg_problem: list[str] = []
_db_numbers = itertools.count(1)


# --- loud skipping of PostgreSQL ---------------------------------------------------------------


def _postgres_missing(reason: str) -> None:
    message = f"PostgreSQL tests NOT RUN: {reason}"
    if os.environ.get("CRM_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(message, pytrace=False)
    if not _pg_problem:
        _pg_problem.append(message)
        warnings.warn(pytest.PytestWarning(message), stacklevel=1)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for message in _pg_problem:
        terminalreporter.section("PostgreSQL", sep="!", red=True, bold=True)
        terminalreporter.write_line(message, red=True, bold=True)
        terminalreporter.write_line("Install the server binaries (apt-get install postgresql) or run scripts/test.sh.")


# --- temporary files in memory -----------------------------------------------------------------

MEMORY_FOLDER = Path("/dev/shm")
MEMORY_FREE_MIN = 8 << 30  # the run's files stay until it ends (passed tests' folders go then)


def pytest_configure(config: pytest.Config) -> None:
    """Temporary files (each test's SQLite copy, the PostgreSQL cluster) in a RAM-backed folder
    when there is one and TMPDIR does not name another: the last close of a SQLite database in
    WAL mode checkpoints and fsyncs it, 10-200 ms a test on a shared disk. A small one (a
    container's 64 MB /dev/shm) is left alone: the files go to the usual temporary folder."""
    if os.environ.get("TMPDIR") or not MEMORY_FOLDER.is_dir() or not os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        return
    if shutil.disk_usage(MEMORY_FOLDER).free >= MEMORY_FREE_MIN:
        tempfile.tempdir = str(MEMORY_FOLDER)


# --- the garbage collector ---------------------------------------------------------------------

GC_YOUNG_THRESHOLD = 50_000  # allocations between two collections of the young generation (700)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the imports and the collection made (modules, models, tables, routes, the test items)
    lives until the run ends: frozen, no collection walks it again. And the young generation is
    collected every 50,000 allocations, not every 700: a console test allocates millions of small
    objects (Textual's strips and styles), and the collector took about a fifth of its time."""
    settle_gc(GC_YOUNG_THRESHOLD, older_scale=2)


# --- the longest tests first, so that the workers end together --------------------------------

# Files whose tests take the longest (from `--durations`), longest first. Under pytest-xdist with
# `--dist worksteal` (scripts/test.sh) one worker starts on them while the other takes the short
# tests, then steals from the end of its queue: the run ends within one test of balance.
SLOW_FIRST = (
    "tests/api/test_schema.py",  # 6 tests (a route group each, both roles), the longest of the suite
    "tests/api/test_concurrency_results.py",  # 14 s
    "tests/api/test_concurrency.py",  # 2 of 10 s (the server's workers forked)
    "tests/thin/",  # 3-8 s: real ssh and chromium, servers shared per module
    "tests/test_delivery_kill.py",  # 5-6 s
    "tests/test_worker_kill.py",  # 5-6 s
    "tests/api/test_remote.py",  # 5 s: a server restart
    "tests/test_assign.py",  # 3 s on PostgreSQL (200 leads)
    "tests/api/test_logs.py",  # 14 of 1-4 s
    "tests/api/test_desk_matrix.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # one process: keep pytest's order (fewest fixture set-ups)

    def rank(item: pytest.Item) -> int:
        return next((n for n, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: within a file and among the rest, the order stays


# --- cheaper password hashing ------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """`tests.helpers.CHEAP_HASHER` in every test, and in the API servers the tests start
    (`tests.api.served`)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sign_in, "_hasher", CHEAP_HASHER)
        mp.setattr(sign_in, "_dummy_hash", CHEAP_HASHER.hash("not a password of anyone"))
        yield


@pytest.fixture(scope="session", autouse=True)
def _server_secret(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The server secret of code digests lives in a temporary folder, never in the user's data folder;
    API servers started by the tests inherit the variable."""
    path = tmp_path_factory.mktemp("secret") / "server.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRM_SECRET_FILE", str(path))
        yield


# --- servers and template databases ------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir = find_binaries()
    if bindir is None:
        _postgres_missing("no server binaries (initdb, postgres) on PATH or under /usr/lib/postgresql/*/bin")
    server = PostgresServer(bindir)  # type: ignore[arg-type]
    try:
        server.start()
    except PostgresUnavailable as exc:
        _postgres_missing(f"the test server did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A database migrated once; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    name = "crm_template"
    engine = make_engine(pg_server.create_database(name))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()
    return path


# --- per-test databases ------------------------------------------------------------------------


@contextmanager
def _database(request: pytest.FixtureRequest, engine: str, directory: Path) -> Iterator[str]:
    """A copy of the migrated template of `engine`: a SQLite file path or a PostgreSQL URL."""
    if engine == "sqlite":
        target = directory / "crm.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield str(target)
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    template: str = request.getfixturevalue("pg_template")
    name = f"crm_test_{os.getpid()}_{next(_db_numbers)}"
    url = server.create_database(name, template=template)
    yield url
    server.drop_database(name)


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database with reference data: a SQLite file path or a PostgreSQL URL."""
    with _database(request, request.param, tmp_path) as target:
        yield target


@pytest.fixture(scope="module", params=ENGINES)
def module_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like `store`, shared by the tests of one module: for tests that only read."""
    with _database(request, request.param, tmp_path_factory.mktemp("module-store")) as target:
        yield target


@pytest.fixture
def sqlite_store(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "crm.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return str(target)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def crm(store: str, clock: FixedClock) -> Iterator[Crm]:
    """The database of `store` with helpers to add employees and sign them in."""
    world = Crm(store, clock)
    yield world
    world.close()


@pytest.fixture
def console(crm: Crm) -> LocalConsole:
    """A supervisor of the main desk (every permission but user management), signed in."""
    return crm.console("boss", role="supervisor")
