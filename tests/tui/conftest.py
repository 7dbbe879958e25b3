"""Fixtures of the console's tests: a fixed database (built once, copied per test), apps on it
with a fixed clock, and helpers that wait for workers instead of sleeping (`tests.tui.quiet`:
waits read from the app's state, also after each key Pilot presses)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import textual.app
from rich.console import Console as RichConsole
from sqlalchemy import Engine
from textual.pilot import Pilot

from core.clock import FixedClock
from core.settings import Settings
from storage.engine import make_engine
from storage.users import add_employee, default_desk
from tests.tui import world
from tests.tui.quiet import key_handled, settled
from tui.app import CrmApp
from tui.i18n import set_language

SIZE = (80, 24)


@pytest.fixture(scope="session")
def tui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-template") / "crm.sqlite3"
    world.build(path)
    return path


@pytest.fixture
def db(tui_template: Path, tmp_path: Path) -> Iterator[Engine]:
    target = tmp_path / "crm.sqlite3"
    shutil.copyfile(tui_template, target)
    engine = make_engine(str(target))
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _keys_wait_for_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for an idle CPU after each key (2 x at least 20 ms); it waits for the app."""
    monkeypatch.setattr(textual.app, "wait_for_idle", key_handled)


AppFactory = Callable[..., CrmApp]


@pytest.fixture
def make_app(db: Engine) -> AppFactory:
    """make_app(login=None, lang="en", plain=False, keymap=None, console=None).

    With a login, the console is signed in through the real two-step flow before the app starts
    and the app opens on the Office; without, it opens on the sign-in screen.
    """

    def factory(
        login: str | None = None,
        lang: str = "en",
        plain: bool = False,
        keymap: dict[str, str] | None = None,
        console_factory: Callable[[], object] | None = None,
    ) -> CrmApp:
        settings = Settings(database=str(db.url.database), lang=lang, keymap=keymap or {})
        clock = FixedClock(world.T0)
        if login is not None:
            console = world.signed_in(db, login, clock)
            return CrmApp(
                settings, console_factory=lambda: console, clock=clock, plain=plain, employee=console.whoami()
            )
        return CrmApp(
            settings,
            console_factory=console_factory or (lambda: world.console_for(db, clock)),  # type: ignore[arg-type]
            clock=clock,
            plain=plain,
        )

    return factory


async def settle(pilot: Pilot) -> None:
    """Wait until every worker is done and its result is on screen."""
    await settled(pilot.app)


async def until(pilot: Pilot, condition: Callable[[], object], what: str = "", rounds: int = 800) -> None:
    """Let the app work until `condition()` holds: settled, and else a Pilot pause (time for the
    app's timers) before the next look; never sleeping, for a bounded number of rounds."""
    for _ in range(rounds):
        await settle(pilot)
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what or condition}")


async def shows(pilot: Pilot, text: str) -> None:
    await until(pilot, lambda: text in screen_text(pilot.app), f"{text!r} on screen")  # type: ignore[arg-type]


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def sign_in_ui(pilot: Pilot, engine: Engine, login: str, password: str = world.PASSWORD) -> None:
    await settle(pilot)
    await type_text(pilot, login)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, world.last_code(engine))
    await pilot.press("enter")
    await settle(pilot)


def screen_text(app: CrmApp) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = RichConsole(
        width=width, height=height, file=io.StringIO(), force_terminal=True, color_system=None, record=True
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def status(app: CrmApp) -> str:
    from tui.widgets.status import StatusLine

    lines = list(app.screen.query(StatusLine))
    return lines[0].text if lines else ""


def flat(text: str) -> str:
    """Screen text with dialog borders removed and whitespace collapsed: wrapped lines join up."""
    return " ".join(text.translate({ord(ch): " " for ch in "│╭╮╰╯─▏▕"}).split())


@pytest.fixture
def chief(db: Engine) -> str:
    """An administrator of the main desk (Administration from F5, then A)."""
    add_employee(db, "chief", "Начальник Пётр", world.PASSWORD, "admin", [default_desk(db)], "+79001000099",
                 world.T0)  # fmt: skip
    return "chief"


@pytest.fixture
def snap_compare(snap_compare):  # type: ignore[no-untyped-def]
    """pytest-textual-snapshot's compare, taken once no spinner is on screen: on a loaded machine a
    store call may pass the spinner's delay, and a picture of the spinner is not the screen."""

    def compare(app, press=(), terminal_size=(80, 24), run_before=None):  # type: ignore[no-untyped-def]
        async def before(pilot: Pilot) -> None:
            if run_before is not None:
                await run_before(pilot)
            await until(pilot, lambda: not pilot.app.screen.query("LoadingIndicator"), "no spinner on screen")

        return snap_compare(app, press=press, terminal_size=terminal_size, run_before=before)

    return compare
