"""The app's CSS is parsed once per theme in a process (tui.stylesheet), and still follows a
theme change; the store's loading thread lets the UI thread have the GIL (tui.warmup)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
import textual.css.stylesheet as textual_stylesheet

from tests.tui.conftest import SIZE, settle, sign_in_ui, until
from tui import stylesheet
from tui.screens.search import SearchScreen
from tui.stylesheet import OnceParsedStylesheet, SharedParses, forget_parses, parse_default_css, widget_classes
from tui.warmup import LOAD_SWITCH_INTERVAL, yielding_gil


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The CSS sources Textual's parser reads, by location, while the test runs; the process's
    parses are dropped first (the apps of earlier tests parsed them)."""
    forget_parses()
    seen: list[str] = []
    original = textual_stylesheet.parse

    def counting(scope, css, read_from, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(read_from))
        return original(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    yield seen


async def test_a_refresh_with_the_same_theme_parses_nothing(make_app, parsed: list[str]) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert sum("app.tcss" in where for where in parsed) == 1  # Textual's sheet: five times
        parsed.clear()
        app.refresh_css()
        await settle(pilot)
        assert parsed == []


async def test_a_theme_change_parses_again_and_restyles(make_app, parsed: list[str]) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.styles.background
        parsed.clear()
        app.action_toggle_plain()
        await until(pilot, lambda: app.screen.styles.background != before, "the Office in the plain theme")
        assert any("app.tcss" in where for where in parsed)


async def test_the_office_draws_without_parsing_once_the_widgets_css_is_adopted(
    make_app, db, parsed: list[str]
) -> None:
    app = make_app()  # the sign-in screen; the store's thread parses the widgets' CSS meanwhile
    async with app.run_test(size=SIZE) as pilot:
        sheet = app.stylesheet
        assert isinstance(sheet, OnceParsedStylesheet)
        await until(pilot, lambda: len(sheet._parse_cache) > 40, "the default CSS adopted")
        parsed.clear()
        await sign_in_ui(pilot, db, "operator")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the Office")
        assert parsed == []  # before: Button's, DataTable's and the header's CSS, at the first draw


async def test_a_second_app_of_the_process_parses_nothing_and_looks_the_same(make_app, parsed: list[str]) -> None:
    first = make_app("operator")
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        looks = first.screen.styles.background
    assert sum("app.tcss" in where for where in parsed) == 1
    parsed.clear()
    second = make_app("operator")
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, SearchScreen)
        assert second.screen.styles.background == looks
    assert parsed == []


async def test_an_app_with_another_theme_parses_its_own_and_back_again_nothing(make_app, parsed: list[str]) -> None:
    backgrounds = []
    for plain in (False, True, False):
        parsed.clear()
        app = make_app("operator", plain=plain)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            backgrounds.append(app.screen.styles.background)
        backgrounds.append(any("app.tcss" in where for where in parsed))
    assert backgrounds[1] is True  # the first app
    assert backgrounds[3] is True and backgrounds[2] != backgrounds[0]  # the plain theme: parsed, its colours
    assert backgrounds[5] is False and backgrounds[4] == backgrounds[0]  # the first theme again: kept


def test_the_process_keeps_the_parses_of_the_latest_themes() -> None:
    forget_parses()
    key = ("Screen {}", ("", "x"), False, 0, "")
    SharedParses({"primary": "#000000"})[key] = []
    for n in range(1, stylesheet.THEMES_KEPT):
        SharedParses({"primary": f"#00000{n}"})
    assert key in SharedParses({"primary": "#000000"})  # used again: now the most recent
    SharedParses({"primary": "#ffffff"})  # one more theme: the least recent (#000001) goes
    assert len(stylesheet._by_theme) == stylesheet.THEMES_KEPT
    assert key in SharedParses({"primary": "#000000"})


def test_css_parsed_for_another_theme_is_not_adopted() -> None:
    forget_parses()
    sheet = OnceParsedStylesheet(variables={"primary": "#004578"})
    ahead = parse_default_css(widget_classes(), {"primary": "#ff0000"})
    assert ahead
    sheet.adopt(ahead, {"primary": "#ff0000"})
    assert len(sheet._parse_cache) == 0
    sheet.adopt(ahead, {"primary": "#004578"})
    assert len(sheet._parse_cache) == len(ahead)
    assert parse_default_css(widget_classes(), {"primary": "#004578"}, known=sheet.parsed) == {}  # all known


def test_the_switch_interval_is_back_when_the_last_loading_thread_ends() -> None:
    before = sys.getswitchinterval()
    with yielding_gil():
        assert sys.getswitchinterval() == min(before, LOAD_SWITCH_INTERVAL)
        with yielding_gil():  # a second app's store loading meanwhile (tests run several)
            pass
        assert sys.getswitchinterval() == min(before, LOAD_SWITCH_INTERVAL)
    assert sys.getswitchinterval() == before
