"""Ctrl+P: the command palette follows the screen it was opened from.

Navigation is offered once signed in; a screen adds its own commands through
`palette_commands()` (the card offers its tabs, edits, SMS and comments).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def placeholder() -> str:
    return _("Type a command…")
