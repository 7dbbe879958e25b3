"""F5 the live floor at 80x24 by keyboard: a call started by another console shows at the next
refresh and the selection stays; Enter lists the employee's calls, Enter opens the card; A opens
Administration; without the permission, a note; snapshots in colour and in plain mode."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from rich.cells import cell_len
from sqlalchemy import Engine, insert, select, update

from core.calls.inputs import CallResult
from core.clock import FixedClock
from storage.engine import write
from storage.tables import CampaignMemberRow, CampaignRow, RoleRow
from storage.users import add_employee, default_desk
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, until
from tui import session_end
from tui.i18n import _
from tui.screens.admin.employees import SupervisorScreen
from tui.screens.card import CardScreen
from tui.screens.floor.calls import EmployeeCallsScreen
from tui.screens.floor.screen import CAMPAIGN_COLUMNS, EMPLOYEE_COLUMNS, FloorScreen
from tui.screens.floor.table import FloorTable
from tui.widgets.floor_chart import HourChart
from tui.widgets.header import NavBar


def listed(db: Engine, client_id: int) -> int:
    with write(db) as conn:
        campaign_id = conn.scalar(select(CampaignRow.id).where(CampaignRow.code == "halva_spring"))
        conn.execute(insert(CampaignMemberRow).values(campaign_id=campaign_id, client_id=client_id))
    return campaign_id


def operator_at_work(db: Engine) -> tuple[object, FixedClock, int]:
    """The operator signed in on their own console: one call saved 10 minutes before the app's now."""
    clock = FixedClock(world.T0 - timedelta(minutes=10))
    operator = world.signed_in(db, "operator", clock)
    campaign_id = listed(db, world.IVANOV)
    start = operator.start_call(world.IVANOV, campaign_id)
    clock.advance(minutes=2)
    operator.save_call(CallResult(client_id=world.IVANOV, campaign_id=campaign_id, phone_id=start.phone_id,
                                  started_at=start.started_at, result="not_reached", reason="no_answer"))  # fmt: skip
    listed(db, world.PETROVA)
    return operator, clock, campaign_id


async def open_floor(pilot, app) -> FloorScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(app.screen, FloorScreen) and app.screen.data is not None, "the floor")
    return app.screen


async def test_the_floor_by_keyboard_at_80x24(make_app, db: Engine) -> None:
    operator, clock, campaign_id = operator_at_work(db)
    operator_id = operator.whoami().id
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_floor(pilot, app)
        text = screen_text(app)
        assert "Смирнова О." in text and "idle 11:52" in text  # since the call's end, Moscow time
        assert "Halva spring" in text and "Today: 1" in text
        table = screen.query_one("#floor-employees")
        await pilot.press("home", "down")
        assert table.selected_key() == str(operator_id)

        clock.advance(minutes=3)
        start = operator.start_call(world.PETROVA, campaign_id)  # another console, 5 minutes before the app's now
        shown = screen.refreshes
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.refreshes > shown, "the next refresh")
        assert "call 05:00" in screen_text(app) and "Петрова" in screen_text(app)
        assert table.selected_key() == str(operator_id)  # the selection stayed

        clock.advance(minutes=1)
        operator.save_call(CallResult(client_id=world.PETROVA, campaign_id=campaign_id, phone_id=start.phone_id,
                                      started_at=start.started_at, result="not_reached", reason="no_answer"))  # fmt: skip
        shown = screen.refreshes
        screen._tick()  # what the refresh timer runs
        await until(pilot, lambda: screen.refreshes > shown, "the timer's refresh")
        assert "idle 11:56" in screen_text(app) and "Петрова" not in screen_text(app)
        assert table.selected_key() == str(operator_id)

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EmployeeCallsScreen) and app.screen.calls is not None)
        assert "11:50" in screen_text(app) and "Not reached" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen), "the card")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, EmployeeCallsScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen))


async def test_administration_from_the_floor_and_back(make_app, db: Engine) -> None:
    add_employee(db, "chief", "Начальник Пётр", world.PASSWORD, "admin", [default_desk(db)], "+79001000099",
                 world.T0)  # fmt: skip
    app = make_app("chief")
    async with app.run_test(size=SIZE) as pilot:
        await open_floor(pilot, app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, SupervisorScreen), "Administration")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen), "back on the floor")


async def test_user_management_alone_still_reaches_administration(make_app, db: Engine) -> None:
    with write(db) as conn:
        conn.execute(insert(RoleRow).values(code="hr", name="HR", permissions="manage_users"))
    add_employee(db, "hr", "Кадрова Анна", world.PASSWORD, "hr", [default_desk(db)], "+79001000098", world.T0)
    app = make_app("hr")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen))
        assert "may not see the floor" in screen_text(app) and "A for Administration" in screen_text(app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, SupervisorScreen), "Administration")


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_an_operator_is_not_offered_f5_and_is_told_what_opens_it(make_app, lang: str) -> None:
    from tui.commands import app_commands

    app = make_app("operator", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        office = app.screen
        supervisor = _("Supervisor")
        assert "F5" not in str(office.query_one(NavBar).render()) and supervisor not in screen_text(app)
        assert supervisor not in [name for name, _run, _help in app_commands(app)]
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen is office  # no empty screen
        text = screen_text(app)
        names = "view_floor, manage_campaigns, import_clients, manage_users"
        assert text.count(names) == 1 and _("{key}: needs one of {names}").format(key="F5", names=names) in text


async def test_a_supervisor_is_offered_f5(make_app) -> None:
    from tui.commands import app_commands

    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "F5 Supervisor" in str(app.screen.query_one(NavBar).render())
        assert "Supervisor" in [name for name, _run, _help in app_commands(app)]
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen), "the floor")


async def test_plain_mode_draws_the_hours_in_ascii(make_app, db: Engine) -> None:
    operator_at_work(db)
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_floor(pilot, app)
        chart = screen.query_one(HourChart)
        assert chart.drawn is not None and chart.drawn[1] == screen.data.hours and sum(chart.drawn[1]) >= 1
        assert all(ch.isascii() or ch.isalpha() for ch in screen_text(app))  # no box or block characters


async def _floor_shown(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_floor(pilot, pilot.app)
    await settle(pilot)


@pytest.mark.parametrize("plain", [False, True], ids=["modern", "16-colour"])
def test_floor_snapshot(make_app, db: Engine, snap_compare, plain: bool) -> None:  # type: ignore[no-untyped-def]
    operator_at_work(db)
    assert snap_compare(make_app("boss", plain=plain), terminal_size=SIZE, run_before=_floor_shown)


async def test_campaigns_and_the_import_from_the_floor(make_app, db: Engine) -> None:
    """C opens the Campaigns screen and I the import, each shown in the key line with its permission."""
    from tui.screens.campaigns.list import CampaignsScreen
    from tui.screens.imports.screen import ImportScreen

    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_floor(pilot, app)
        keys = str(app.screen.query_one("KeyLine").render())
        assert "c  Campaigns" in keys and "i  Import" in keys, keys
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CampaignsScreen), "the campaigns")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FloorScreen), "back on the floor")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import")


async def test_no_campaigns_or_import_keys_without_the_permissions(make_app, db: Engine) -> None:
    with write(db) as conn:
        conn.execute(insert(RoleRow).values(code="watch", name="Watch", permissions="view_floor"))
    add_employee(db, "watch", "Смотрова Анна", world.PASSWORD, "watch", [default_desk(db)], "+79001000097", world.T0)
    app = make_app("watch")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_floor(pilot, app)
        keys = str(screen.query_one("KeyLine").render())
        assert "Campaigns" not in keys and "Import" not in keys, keys
        await pilot.press("c", "i")
        await settle(pilot)
        assert app.screen is screen


async def test_quitting_without_signing_out_leaves_the_floor(make_app, db: Engine) -> None:
    boss = world.signed_in(db, "boss", FixedClock(world.T0))
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        operator_id = app.employee.id
        assert operator_id in {e.employee_id for e in boss.floor().employees}
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "the console quit")
    assert operator_id not in {e.employee_id for e in boss.floor().employees}


async def test_quitting_does_not_wait_for_a_dead_server(make_app, monkeypatch) -> None:
    """The sign-out at quit is best effort: a server that does not answer keeps nobody waiting."""
    monkeypatch.setattr(session_end, "QUIT_WAIT_S", 0.05)
    never = threading.Event()
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.get_console(), "sign_out", never.wait)  # a request that never comes back
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "the console quit")
    never.set()


LONG_NAME = "Константинопольская Александра Владимировна"
LONG_CAMPAIGN = "Весенняя халва для постоянных клиентов"


def long_values(db: Engine, campaign_id: int) -> None:
    """An operator and a campaign with long names, and a call in progress with a listed client."""
    with write(db) as conn:
        conn.execute(update(CampaignRow).where(CampaignRow.code == "halva_spring").values(name=LONG_CAMPAIGN))
    add_employee(db, "long", LONG_NAME, world.PASSWORD, "operator", [default_desk(db)], "+79001000096", world.T0)
    operator = world.signed_in(db, "long", FixedClock(world.T0 - timedelta(minutes=1)))
    operator.start_call(world.PETROVA, campaign_id)


@pytest.mark.parametrize(("lang", "plain"), [("ru", False), ("en", False), ("ru", True)])
async def test_at_80x24_every_title_is_whole_and_every_cut_is_marked(
    make_app, db: Engine, lang: str, plain: bool
) -> None:
    long_values(db, operator_at_work(db)[2])  # Смирнова: "not reached" as the last result
    mark = "~" if plain else "…"
    app = make_app("boss", lang=lang, plain=plain)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_floor(pilot, app)
        text = screen_text(app)
        for table_id, columns in (("#floor-employees", EMPLOYEE_COLUMNS), ("#floor-campaigns", CAMPAIGN_COLUMNS)):
            table = screen.query_one(table_id, FloorTable)
            assert table.virtual_size.width <= table.size.width - 2, table_id  # room for a scroll bar
            titles = [_(label) for _key, label, _width in columns]
            header = next(line for line in text.splitlines() if titles[0] in line)
            assert header.split() == " ".join(titles).split(), header  # every title whole, in order
            for row in range(table.row_count):
                for (_key, _label, width), cell in zip(columns, table.get_row_at(row), strict=True):
                    assert cell_len(cell) <= width, cell
        assert ("Константинопольская"[:12] + mark) in text  # the name, cut and marked
        assert (LONG_CAMPAIGN[:18] + mark) in text
        assert _("Reach: reached %, Agr.: agreed, Avg: average talk, Last: the last result") in text
        lasts = [table.get_row_at(r)[-1] for table in [screen.query_one("#floor-employees", FloorTable)]
                 for r in range(table.row_count)]  # fmt: skip
        assert (_("Not reached")[:6] + mark) in lasts, lasts
