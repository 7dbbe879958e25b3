"""What every screen of the console shares: translated bindings, a status line, Console calls,
focus-aware help texts, commands for the palette."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.screen import Screen
from textual.widget import Widget

from core.errors import ValidationFailed
from tui.bindings import localize_bindings
from tui.calls import ConsoleCalls
from tui.errors import error_text
from tui.widgets.status import StatusLine

Command = tuple[str, Callable[[], object], str]  # (name, callback, help)


class CrmScreen(ConsoleCalls, Screen[None]):
    """Base of the full screens."""

    PLACE = ""  # msgid: the name of the place shown in help
    CRM_HELP = ""  # msgid: help for the whole screen (F1)
    FIELD_HELP: dict[str, str] = {}  # widget id -> msgid of its help
    FIELDS: dict[str, str] = {}  # ValidationFailed.field -> widget id

    def __init__(self, name: str | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id)
        localize_bindings(self)
        self._crm_suspended = False

    @on(events.ScreenResume)
    def _crm_first_resume(self, event: events.ScreenResume) -> None:
        """A screen made styled by the current stylesheet (`CrmApp._styled`) has every node styled
        as it mounted: until it is first left, a resume (a new mode gets two) need not restyle
        them all again (profiled: about a third of the Office's first draw). After a theme
        change the counts differ and it restyles."""
        if not self._crm_suspended and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False

    @on(events.ScreenSuspend)
    def _crm_left(self) -> None:
        self._crm_suspended = True

    def status(self, text: str, kind: str = "info") -> None:
        for line in self.query(StatusLine):
            line.show(text, kind)
            return

    def show_error(self, exc: BaseException) -> None:
        self.status(error_text(exc), "error")
        if isinstance(exc, ValidationFailed) and exc.field:
            focus_field(self, self.FIELDS, exc.field)

    def palette_commands(self) -> list[Command]:
        """Commands the palette offers on this screen (besides navigation)."""
        return []


def focus_field(node: Widget | Screen, fields: dict[str, str], field: str) -> None:
    widget_id = fields.get(field)
    if widget_id:
        for widget in node.query(f"#{widget_id}"):
            widget.focus()
            return


def key_display(node: Screen, binding_id: str) -> str:
    """The key of a binding of `node` (or of the app) as the operator sees it, after the keymap."""
    app = node.app
    for _key, binding in node._bindings:
        if binding.id == binding_id:
            key = app._keymap.get(binding_id, binding.key).split(",")[0]
            return app.get_key_display(binding.with_key(key=key, key_display=None))
    return app.key_display(binding_id)  # type: ignore[attr-defined]
