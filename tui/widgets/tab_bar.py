"""The card's tab line: every tab with its key; the current one highlighted. One widget, so the
card stays quick to show (Textual's TabbedContent adds a widget per tab and per pane)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.i18n import _


class TabBar(Static):
    DEFAULT_CSS = """
    TabBar { height: 1; width: 1fr; border-bottom: none; }
    """

    def __init__(self, tabs: list[tuple[str, str, str]], *, id: str | None = None) -> None:  # noqa: A002
        """tabs: (name, key, msgid of the title)."""
        super().__init__("", id=id, markup=False)
        self.tabs = tabs
        self.active = tabs[0][0]

    def on_mount(self) -> None:
        self.update(self._line())

    def activate(self, name: str) -> None:
        self.active = name
        self.update(self._line())

    def _line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        from tui.screens.base import key_display

        for name, key, title in self.tabs:
            style = "reverse bold" if name == self.active else ""
            shown = key_display(self.screen, f"card.tab_{name}") if self.is_attached else key
            line.append(f"{shown} {_(title)}", style=style)
            line.append(" ")
        return line
