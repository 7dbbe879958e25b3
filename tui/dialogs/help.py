"""F1: help for the focused place — what it is for, and the keys that work there now."""

from __future__ import annotations

from rich.table import Table
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _


class HelpDialog(CrmDialog[None]):
    PLACE = N_("Help")
    CRM_HELP = N_("Esc closes the help.")
    BINDINGS = [Binding("enter", "cancel", N_("Close"), id="help.close", show=False)]

    def __init__(self, place: str, focused_help: str, screen_help: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.place = place
        self.focused_help = focused_help
        self.screen_help = screen_help
        self.keys = keys

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpDialog:
        field_help: dict[str, str] = getattr(screen, "FIELD_HELP", {})
        focused_help = ""
        node = screen.focused
        own = getattr(screen, "help_for", None)
        specific = own(node) if callable(own) and node is not None else None
        if specific:
            focused_help = _(specific)
            node = None
        while node is not None and node is not screen:
            if node.id and node.id in field_help:
                focused_help = _(field_help[node.id])
                break
            node = node.parent  # type: ignore[assignment]
        from tui.widgets.key_line import key_entries

        keys: dict[str, str] = {}
        app = screen.app
        for key, description in key_entries(screen, shown_only=False)[0]:  # "1-9 Answers", not "1 Answers"
            keys.setdefault(description, key)
        if screen.is_modal:
            app_keys = []
        else:
            app_keys = [
                (app.key_display(b.id), b.description)  # type: ignore[attr-defined]
                for _key, b in app._bindings
                if b.id
                and b.description
                and not b.system
                and b.description not in keys
                and app.check_action(*parse(b.action)[1:])
            ]
        pairs = [(key, description) for description, key in keys.items()] + app_keys
        place = _(getattr(screen, "PLACE", "")) or _("Console")
        return cls(place, focused_help, _(getattr(screen, "CRM_HELP", "")), pairs)

    def body(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 1))  # two pairs a line: the help fits 80x24 (it scrolls, PgDn, if not)
        for _n in range(2):
            keys.add_column(no_wrap=True, style="bold")
            keys.add_column(ratio=1)
        half = (len(self.keys) + 1) // 2
        for left, right in zip(self.keys[:half], [*self.keys[half:], ("", "")], strict=False):
            keys.add_row(*left, *right)
        with VerticalScroll(classes="dialog-box", id="help-box"):
            yield Static(_("Help: {place}").format(place=self.place), classes="dialog-title", markup=False)
            if self.focused_help:
                yield Static(self.focused_help, id="focused-help", markup=False)
            yield Static(_("Keys here"), classes="dialog-subtitle")
            yield Static(keys, id="help-keys", markup=False)
            if self.screen_help:
                yield Static(self.screen_help, id="screen-help", classes="dialog-subtitle", markup=False)
            yield Static(_("Ctrl+P: all commands · Esc: close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
