"""Snapshots of the campaigns and import screens at 80x24 (fixed clock, fixed data), English and
Russian, and the import on a plain terminal.

Update after an intended change of the look: pytest tests/tui/test_campaigns_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from core.calls.campaigns import CampaignSpec
from tests.tui.conftest import SIZE, settle, type_text, until
from tests.tui.test_snapshots import steady
from tui.screens.campaigns.form import CampaignForm
from tui.screens.campaigns.list import CampaignsScreen
from tui.screens.imports.screen import ImportScreen

CSV = "tests/tui/data/clients.csv"  # relative to the project: the same text in every picture


async def campaigns(pilot: Pilot) -> None:
    await settle(pilot)
    console = pilot.app.get_console()  # type: ignore[attr-defined]
    desk = pilot.app.employee.desk_ids[0]  # type: ignore[attr-defined]
    console.create_campaign(CampaignSpec(code="spring", name="Весенний обзвон", desk_id=desk, call_start="10:00",
                                         call_end="19:00", priority=5))  # fmt: skip
    pilot.app.action_campaigns()  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(pilot.app.screen, CampaignsScreen) and pilot.app.screen.lines)


async def campaign_form(pilot: Pilot) -> None:
    await campaigns(pilot)
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, CampaignForm))
    await type_text(pilot, "autumn")
    steady(pilot)
    await settle(pilot)
    for part in pilot.app.screen.query("*"):  # the form from its top: how far it scrolled to the
        if part.is_scrollable:  # focused field depends on the machine's speed
            part.scroll_home(animate=False)
    await settle(pilot)


async def import_preview(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.action_import_clients()  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(pilot.app.screen, ImportScreen))
    screen = pilot.app.screen
    await settle(pilot)
    await type_text(pilot, CSV)
    await pilot.press("enter")
    await until(pilot, lambda: screen.preview is not None)  # type: ignore[attr-defined]
    steady(pilot)
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_campaigns(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("boss", lang=lang), terminal_size=SIZE, run_before=campaigns)


def test_campaign_form(snap_compare, make_app) -> None:
    assert snap_compare(make_app("boss"), terminal_size=SIZE, run_before=campaign_form)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_import_preview(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("boss", lang=lang), terminal_size=SIZE, run_before=import_preview)


def test_import_on_a_plain_terminal(snap_compare, make_app) -> None:
    assert snap_compare(make_app("boss", plain=True), terminal_size=SIZE, run_before=import_preview)
