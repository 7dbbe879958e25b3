"""The call screen at 80x24 in English and Russian (snapshots: the fixed world, the fixed clock).

Update after an intended change: pytest tests/tui/test_call_snapshot.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.tui import call_world
from tests.tui.conftest import SIZE
from tests.tui.test_call_flow import press, take_next

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_call_screen_snapshot(snap_compare, make_app, lang: str) -> None:
    app = make_app("operator", lang=lang)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await take_next(pilot)  # Петрова, Halva cross-sell
        await press(pilot, "3", "1", "1")  # Reached; the client is on the line; convenient: the offer

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_result_form_snapshot(snap_compare, make_app, lang: str) -> None:
    app = make_app("operator", lang=lang)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await take_next(pilot)
        await press(pilot, "3", "1", "2")  # call back at the client's request: the form with the default date

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
