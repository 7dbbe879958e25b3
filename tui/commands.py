"""Ctrl+P: the command palette follows the screen it was opened from.

Navigation is offered once signed in; a screen adds its own commands through
`palette_commands()` (the card offers its tabs, edits, SMS and comments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider, SearchIcon
from textual.content import Content
from textual.widgets.option_list import Option

from tui.i18n import _

Command = tuple[str, Callable[[], object], str]


class CrmCommands(Provider):
    def _commands(self) -> list[Command]:
        app = self.app
        screen = self.screen
        commands: list[Command] = []
        own = getattr(screen, "palette_commands", None)
        if callable(own):
            commands += own()
        commands += app.palette_commands()  # type: ignore[attr-defined]
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(one_line(Content(name), help_text), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, one_line(matcher.highlight(name), help_text), callback, text=name)


def one_line(name: Content, help_text: str) -> Content:
    """A command and its help on one line ("Contact history  Key 3"): twice as many fit at 80x24."""
    return Content.assemble(name, (f"  {help_text}", "dim")) if help_text else name


class CrmPalette(CommandPalette):
    """Textual's palette with one line per command, an ASCII prompt and translated messages."""

    DEFAULT_CSS = """
    CrmPalette > Vertical { margin-top: 1; }
    CrmPalette CommandList { max-height: 19; }
    CrmPalette CommandList > .option-list--option { padding: 0 1; }
    """

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):
            icon.icon = ">"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the message in the operator's language."""
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")), disabled=True, id=self._NO_MATCHES
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


def placeholder() -> str:
    return _("Type a command…")


def app_commands(app: Any) -> list[Command]:
    """What the palette offers on every screen: the places the employee may enter, the app's own
    screens (automation, campaigns, import) by permission, sign-out, the plain theme, quit.
    `app` is the CrmApp, not imported here: it imports this module."""
    from tui.screens.campaigns import list_commands
    from tui.widgets.header import OFF_BAR, PLACES, may_enter

    commands: list[tuple[str, Callable[[], object], str]] = []
    if app.employee is not None:
        for place, binding_id, name in (*PLACES, *OFF_BAR):
            if not may_enter(app.employee, place):
                continue
            commands.append(
                (
                    _(name),
                    lambda p=place: app.action_go(p),
                    _("Go to the place (key {key})").format(key=app.key_display(binding_id))
                    if binding_id
                    else _("Go to the place (key {key} in My work)").format(key="T"),
                )
            )
        if "manage_automation" in app.employee.permissions:  # M8 (tui.screens.automation)
            commands.append((_("Automation rules"), app.action_automation, _("When, if, then: the rules")))
        commands += list_commands(app)  # campaigns and import (tui.screens.campaigns)
        commands.append((_("Sign out"), app.action_sign_out, _("End the session and show the sign-in screen")))
    commands.append((_("Plain colours on/off"), app.action_toggle_plain, _("16-colour theme for plain terminals")))
    commands.append((_("Quit"), app.exit, _("Leave the console")))
    return commands
