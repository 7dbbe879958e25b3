"""What the administration screens share: a form dialog that confirms what changes, saves through
the Console and stays open with what was typed when the save fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from core.admin.rules import AUDIT_VALUE_LABELS, WORD_FIELDS
from tui.dialogs.base import CrmDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

MASK_CHOICES = (("role", N_("as the role")), ("masked", N_("masked")), ("shown", N_("shown")))
ROLE_MASK_CHOICES = (("default", N_("by the contacts permission")), ("masked", N_("masked")), ("shown", N_("shown")))
FIELD_NAMES = {
    "name": N_("Name"),
    "mobile": N_("Mobile"),
    "role": N_("Role"),
    "desks": N_("Desks"),
    "mask_phone": N_("Phone"),
    "mask_email": N_("E-mail"),
    "mask_country": N_("Country"),
    "read_only": N_("Read-only"),
    "permissions": N_("Permissions"),
    "active": N_("Active"),
    "second_factor": N_("Second factor"),
    "timezone": N_("Time zone"),
}


def change_lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """ "Field: old -> new" for each field that differs (the confirmation's list)."""
    return [
        _(FIELD_NAMES.get(k, k)) + f": {_said(k, old.get(k))} -> {_said(k, v)}"
        for k, v in new.items()
        if _shown(old.get(k)) != _shown(v)
    ]


def _said(key: str, value: Any) -> str:
    """A value as the reader reads it: the words of masks, read-only and active translated."""
    text = _shown(value)
    return _(AUDIT_VALUE_LABELS[text]) if key in WORD_FIELDS and text in AUDIT_VALUE_LABELS else text


def both_lines(opened: dict[str, Any], now: dict[str, Any], yours: dict[str, Any]) -> list[str]:
    """After a stale save: "Field: now X; yours Y" for each field someone else or you changed."""
    keys = [
        k for k in yours if _shown(now.get(k)) != _shown(opened.get(k)) or _shown(yours[k]) != _shown(opened.get(k))
    ]
    return [
        _(FIELD_NAMES.get(k, k))
        + ": "
        + _("now {theirs}; yours {yours}").format(theirs=_said(k, now.get(k)), yours=_said(k, yours[k]))
        for k in keys
    ]


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(v) for v in value)) or "-"
    return "-" if value in (None, "") else str(value)


class AdminForm(CrmDialog[bool]):
    """Fields in `fields()`; Ctrl+S (or Save) asks to confirm the changes `changes()` lists, then
    runs `save(console)` in a worker. On error the dialog stays, with what was typed; after a stale
    save (Conflict) it shows both versions: the record as stored now comes with the Conflict (or,
    without it, is read by `current`)."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="admin.save", priority=True)]
    DEFAULT_CSS = """
    AdminForm #form-fields { height: auto; max-height: 14; }
    AdminForm #form-fields Select, AdminForm #form-fields SelectionList { margin-bottom: 0; }
    AdminForm #conflict { height: auto; max-height: 5; display: none; }
    AdminForm #form-note { height: auto; max-height: 3; color: $text-muted; display: none; }
    AdminForm.-stale #form-fields { max-height: 9; }
    AdminForm.-stale #conflict { display: block; }
    AdminForm.-noted #form-note { display: block; }
    AdminForm.-noted #form-fields { max-height: 12; }
    """
    TITLE = ""

    def fields(self) -> ComposeResult:
        yield from ()

    def changes(self) -> list[str]:
        return []

    def save(self, console: Any) -> object:
        raise NotImplementedError

    def current(self, console: Any) -> Any:
        """The edited record as stored now, read after a stale save (None: nothing to compare)."""
        return None

    def fields_of(self, line: Any) -> dict[str, Any]:
        """The fields of a stored record as the form shows them (the same keys as `_state`)."""
        return {}

    def _before(self) -> dict[str, Any]:
        """The fields as the form opened them."""
        return self.fields_of(getattr(self, "line", None))

    def _state(self) -> dict[str, Any]:
        """The fields as typed."""
        return {}

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_(self.TITLE), classes="dialog-title", markup=False)
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self.fields()
            yield Static("", id="form-note", markup=False)  # what the focused field means, in full
            yield Static("", id="conflict", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", compact=True, variant="primary")
                yield Button(_("Cancel"), id="cancel", compact=True)
            yield StatusLine(id="status")

    def on_mount(self) -> None:
        first = next((w for w in self.query("Input, Select, SelectionList") if w.focusable), None)
        if first is not None:
            first.focus()
        fields = self.query_one("#form-fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_home, animate=False)  # the first label stays in view

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(False)

    def action_save(self) -> None:
        try:
            lines = self.changes()
        except ValueError as exc:
            self.status(str(exc), "error")
            return
        if not lines:
            self.status(_("Nothing to save: nothing was changed."), "error")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call(self.save, self._saved, group="admin-save", failed=self._failed)

        self.app.push_screen(ConfirmDialog(_("Save these changes?"), "\n".join(lines)), answered)

    def _saved(self, result: object) -> None:
        self.result = result
        self._close()

    def _close(self) -> None:
        """Dismiss once the confirmation above is gone (a fast save can come back before it is)."""
        if self.app.screen is self:
            self.dismiss(True)
        else:
            self.call_after_refresh(self._close)

    def _failed(self, exc: BaseException) -> None:
        from core.errors import Conflict
        from tui.errors import error_text

        self.status(error_text(exc), "error")
        if isinstance(exc, Conflict) and exc.current is not None:
            self._show_both(exc.current)  # the record as stored now came with the answer
        elif isinstance(exc, Conflict):
            self.call(self.current, self._show_both, group="admin-current")

    def _show_both(self, line: Any) -> None:
        if line is None:
            return
        lines = both_lines(self._before(), self.fields_of(line), self._state())
        self.query_one("#conflict", Static).update("\n".join([_("Changed meanwhile:"), *lines]))
        self.add_class("-stale")  # the fields give up room, so both versions and the status fit at 80x24

    def note(self, text: str) -> None:
        """Show what the focused field means, in full, under the fields."""
        self.query_one("#form-note", Static).update(text)
        self.set_class(bool(text), "-noted")

    result: object = None


def run_change(
    node: Any, question: str, details: str, job: Callable[[Any], object], done: Callable[[object], None]
) -> None:
    """Confirm a one-step change (disable, unlock, delete …), then run it and call `done`."""

    def answered(yes: bool | None) -> None:
        if yes:
            node.call(job, done, group="admin-change")

    node.app.push_screen(ConfirmDialog(question, details, yes=_("Yes")), answered)
