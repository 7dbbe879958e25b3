"""What 80x24 must not cut: every screen and dialog in English and Russian, plain and modern.

For each screen a list of the values an operator needs is taken from the store (the card, the
search results, the call lists) and formatted as the console formats them; each must appear whole
on the rendered screen (every word of it, as a word: a cut leaves a stump such as "Ольг" or
"Подумаю…"). Plain mode must draw ASCII only (letters of any alphabet aside).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pytest
from textual.command import CommandPalette

from tests.tui import call_world, world
from tests.tui.conftest import SIZE, screen_text, settle, until
from tui import format as fmt
from tui.dialogs.detail import DetailDialog
from tui.dialogs.help import HelpDialog
from tui.plain import to_ascii
from tui.screens.calls import CallsScreen
from tui.screens.card import CardScreen
from tui.screens.search import summary_row
from tui.widgets import card_tables as ct
from tui.widgets.key_line import KeyLine

call_template, db = call_world.call_template, call_world.db  # the call lists too

MODES = [("en", False), ("en", True), ("ru", False), ("ru", True)]
STRIP = ",.;:|()[]\"'«»“”·—-"


def words(text: str) -> list[str]:
    return [w.strip(STRIP) for w in text.split() if w.strip(STRIP)]


class Screens:
    """Collects what each screen cuts, and the glyphs plain mode must not draw."""

    def __init__(self, app, plain: bool) -> None:  # type: ignore[no-untyped-def]
        self.app, self.plain = app, plain
        self.cut: list[str] = []
        self.glyphs: dict[str, set[str]] = {}

    def check(self, where: str, values: Iterable[str], skip_header: bool = True) -> None:
        text = screen_text(self.app)
        lines = text.splitlines()
        body = "\n".join(lines[2:] if skip_header else lines)
        shown = set(words(body))
        for value in values:
            wanted = to_ascii(value) if self.plain else value
            missing = [w for w in words(wanted) if w not in shown]
            if missing:
                self.cut.append(f"{where}: {value!r} ({' '.join(missing)} not whole)")
        if self.plain:
            odd = {ch for ch in text if not ch.isascii() and unicodedata.category(ch)[0] != "L"}
            if odd:
                self.glyphs[where] = odd
        self.keys(where, lines)

    def keys(self, where: str, lines: list[str]) -> None:
        """Every entry of the key line whole, on the last two lines."""
        found = list(self.app.screen.query(KeyLine))
        if not found:
            return
        entries, _palette = found[0].entries()
        bottom = set(words(to_ascii(" ".join(lines[-2:])) if self.plain else " ".join(lines[-2:])))
        for key, description in entries:
            for w in words(f"{key} {description}"):
                if (to_ascii(w) if self.plain else w) not in bottom:
                    self.cut.append(f"{where}: key line {key} {description!r}")


def history_values(entry, zone) -> list[str]:  # type: ignore[no-untyped-def]
    return list(ct.history_row(zone)(entry))


@pytest.mark.parametrize(("lang", "plain"), MODES)
async def test_nothing_an_operator_needs_is_cut(make_app, db, lang: str, plain: bool) -> None:  # type: ignore[no-untyped-def]
    app = make_app("boss", lang=lang, plain=plain)
    boss = world.signed_in(db, "boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = Screens(app, plain)
        zone = app.zone
        me = boss.whoami()
        seen.check("header", [me.full_name, fmt._(me.role_name)], skip_header=False)

        # search results
        await pilot.press(*"иванов", "enter")
        await until(pilot, lambda: app.screen.query_one("#results").row_count > 0)
        for row in (summary_row(s) for s in boss.search("иванов")):
            seen.check("search results", row)

        # the card: main block and every tab
        card = boss.open_card(world.IVANOV)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        main = [card.full_name, fmt.day(card.birth_date), fmt.client_type(card.client_type), card.region or ""]
        main += [fmt.phone(p.number) for p in card.phones] + [e.address for e in card.emails]
        seen.check("card main", main)
        personal = [card.surname, card.first_name, card.patronymic, card.town, card.desk, card.responsible]
        seen.check("card personal", [v for v in personal if v])
        tabs = {
            "3": [history_values(h, zone) for h in card.history[:3]],
            "4": [ct.product_row(p) for p in card.products],
            "5": [ct.transaction_row(zone)(t) for t in card.transactions[:3]],
            "6": [ct.product_row(p) for p in card.closed_products],
            "7": [ct.linked_row(c) for c in card.linked],
            "8": [ct.change_row(zone)(c) for c in card.changes[:3]],
        }
        for key, rows in tabs.items():
            await pilot.press(key)
            await settle(pilot)
            for row in rows:
                seen.check(f"card tab {key}", row)
        await pilot.press("3", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailDialog))
        title, lines = ct.detail("history", card.history[0], zone)
        seen.check("history in detail", [title] + [v for label, value in lines if value for v in (label, value)])
        await pilot.press("escape", "e")
        await until(pilot, lambda: type(app.screen).__name__ == "EditPersonalDialog")
        edit = [fmt._("Surname"), card.surname, fmt._("Town"), card.town or "", fmt._("Region"), card.region or ""]
        seen.check("edit personal", edit)  # a label never runs into its value
        await pilot.press("escape", "x")
        await until(pilot, lambda: type(app.screen).__name__ == "StrikePhoneDialog")
        seen.check("strike a phone", [fmt.phone(card.phones[0].number)])
        await pilot.press("escape", "2")
        await until(pilot, lambda: app.screen.tab == "sms")
        seen.check("card SMS", [fmt.phone(card.phones[0].number), fmt._("Choose a template")])
        await pilot.press("escape")
        app.open_card(world.IVANOV)
        await until(pilot, lambda: app.screen.card is not None and app.screen.card.id == world.IVANOV)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        seen.check("card help", [f"{key} {description}" for key, description in app.screen.keys])
        await pilot.press("escape", "ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await settle(pilot)
        seen.check("palette", [name for name, _cb, _help in app.screen_stack[-2].palette_commands()[:12]])
        await pilot.press("escape")

        # an error in the status line keeps its end
        app.open_card(world.PETROVA)
        await until(pilot, lambda: app.screen.card is not None and app.screen.card.id == world.PETROVA)
        await pilot.press("e")
        await settle(pilot)
        seen.check("status error", [app.screen.query_one("#status").text])

        # the questionnaire: labels and placeholders whole
        await pilot.press("f4")
        await until(pilot, lambda: type(app.screen).__name__ == "NewClientScreen")
        labels = ["Surname", "First name", "Region", "Town", "Choose the region", "Choose the town", "Recommended by"]
        seen.check("new client", [fmt._(label) for label in labels])

        # the call lists and a call
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, CallsScreen) and bool(app.screen.lists))
        seen.check("call lists", [fmt.campaign(i.campaign.name, i.campaign.script_name) for i in app.screen.lists])
        await pilot.press("enter")
        await until(pilot, lambda: len(app.screen_stack) > 2 and type(app.screen_stack[-2]).__name__ == "CallScreen")
        call = app.screen_stack[-2]
        seen.check("outcome dialog", [call.session.card.full_name])
        await pilot.press("3")
        await until(pilot, lambda: app.screen is call)
        start = call.session.start
        campaign = fmt.campaign(start.campaign, start.script.name if start.script else "")
        seen.check("call screen", [call.session.card.full_name, fmt.phone(start.phone), campaign])
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        seen.check("call help", [f"{key} {description}" for key, description in app.screen.keys])
        await pilot.press("escape", "r")
        await until(pilot, lambda: type(app.screen).__name__ == "ResultDialog")
        await settle(pilot)
        seen.check("result form", [])  # plain mode: ASCII only
        await pilot.press("escape")

    assert not seen.cut, "\n".join(seen.cut)
    assert not seen.glyphs, seen.glyphs


@pytest.mark.parametrize(("lang", "plain"), MODES)
async def test_the_header_shows_the_operators_role_whole(make_app, db, lang: str, plain: bool) -> None:  # type: ignore[no-untyped-def]
    app = make_app("operator", lang=lang, plain=plain)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = Screens(app, plain)
        me = app.employee
        seen.check("header", [me.full_name, fmt._(me.role_name), "12:00:00"], skip_header=False)
        app.employee = me.model_copy(update={"full_name": "Константинопольская Александра Владимировна"})
        app.open_card(world.IVANOV)  # a new screen, a new header: a long name gives way to the role
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        seen.check("header, a long name", ["Константинопольская", fmt._(me.role_name)], skip_header=False)
        masked = [fmt.phone(p.number, p.masked) for p in app.screen.card.phones]
        seen.check("masked card", masked)
    assert not seen.cut, "\n".join(seen.cut)
    assert not seen.glyphs, seen.glyphs
