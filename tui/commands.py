"""Ctrl+P: the command palette follows the screen it was opened from.

Navigation is offered once signed in; a screen adds its own commands through
`palette_commands()` (the card offers its tabs, edits, SMS and comments).
"""

from __future__ import annotations

from collections.abc import Callable

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
