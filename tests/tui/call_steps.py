"""Pilot steps of a call in the console: take the next client, answer, reach the result form, wait for the save."""

from __future__ import annotations

from tests.tui.conftest import settle, until
from tui.dialogs.call_result import ResultDialog
from tui.dialogs.outcome import OutcomeDialog
from tui.screens.call import CallScreen
from tui.screens.calls import CallsScreen

HALVA_ROW, DEPOSIT_ROW = 1, 0  # the lists are sorted by name: Deposit retention, Halva cross-sell, Halva spring


async def take_next(pilot, row: int = HALVA_ROW) -> CallScreen:  # type: ignore[no-untyped-def]
    """F3, the list, Enter: the next client's call starts with the outcome question."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("f3")
    await until(pilot, lambda: isinstance(app.screen, CallsScreen) and bool(app.screen.lists), "the call lists")
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, OutcomeDialog), "the outcome question")
    screen = app.screen_stack[-2]
    assert isinstance(screen, CallScreen)
    return screen


async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def in_form(pilot) -> ResultDialog:  # type: ignore[no-untyped-def]
    """The result form with the options the store gives now (not only those of an earlier open)."""

    def ready() -> bool:
        form = pilot.app.screen
        if not isinstance(form, ResultDialog) or not form.session.options:
            return False
        return not any(w.node is form and w.group == "options" and not w.is_finished for w in pilot.app.workers)

    await until(pilot, ready, "the result form with its options")
    return pilot.app.screen


async def saved(pilot, call: CallScreen) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: call.session.saved is not None and pilot.app.screen is call, "the call saved")
