"""Fixtures of the API tests: a shared database per engine (with staff), its uvicorn, and the
Console under test, local or remote, so the contract tests run four ways."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from core.port import Console
from tests.api.world import World
from tests.pg import PostgresServer

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session", params=ENGINES)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A migrated database of each engine, with the staff of `tests.api.world.STAFF`."""
    base = tmp_path_factory.mktemp(f"api-{request.param}")
    if request.param == "sqlite":
        target = str(base / "crm.sqlite3")
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        name, server = None, None
    else:
        server = request.getfixturevalue("pg_server")
        template: str = request.getfixturevalue("pg_template")
        name = f"crm_api_{os.getpid()}"
        target = server.create_database(name, template=template)
    world = World(target, request.param, base)
    yield world
    world.close()
    if isinstance(server, PostgresServer) and name is not None:
        server.drop_database(name)


@pytest.fixture(params=["local", "remote"])
def sign_in(request: pytest.FixtureRequest, world: World) -> Iterator[Callable[[str], Console]]:
    """Signs an employee in to the Console under test: in-process, or over HTTP to a real uvicorn."""
    opened: list[Console] = []

    def open_console(login: str) -> Console:
        console: Console = world.local(login) if request.param == "local" else world.remote(login)
        opened.append(console)
        return console

    yield open_console
    for console in opened:
        close = getattr(console, "close", None)
        if close:
            close()


def _sqlite_world(folder: Path, template: Path) -> Iterator[World]:
    target = folder / "crm.sqlite3"
    shutil.copyfile(template, target)
    world = World(str(target), "sqlite", folder)
    yield world
    world.close()


@pytest.fixture
def sqlite_world(tmp_path: Path, sqlite_template: Path) -> Iterator[World]:
    yield from _sqlite_world(tmp_path, sqlite_template)


@pytest.fixture(scope="module")
def module_sqlite_world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    """A SQLite world shared by the tests of one module, each making cards of its own."""
    yield from _sqlite_world(tmp_path_factory.mktemp("module-world"), sqlite_template)


@pytest.fixture(scope="session")
def world_app(world: World) -> FastAPI:
    """The app over the shared world, built once (~0.3 s of CPU: every route and its models), as
    the shared uvicorn serves every test; each test still runs its own lifespan (`http`)."""
    return create_app(world.target)


@pytest.fixture
def http(world_app: FastAPI) -> Iterator[TestClient]:
    """A client of the app over the shared world (a test module may define its own)."""
    with TestClient(world_app) as client:
        yield client
