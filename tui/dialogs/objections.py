"""K7: the objection bank — what the client says and the reply; choosing one records an
objection-handling attempt (two are needed before Refused may be chosen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.call_session import CallSession


class ObjectionBankDialog(CrmDialog[str]):
    """Answers the objection code whose reply was given, or None."""

    PLACE = N_("Objection bank")
    CRM_HELP = N_(
        "What clients object and how to answer. Give the reply, then Enter records it as an "
        "objection-handling attempt; Refused needs two attempts first. Esc: back without recording."
    )
    DEFAULT_CSS = """
    ObjectionBankDialog #bank-box { height: auto; max-height: 22; }
    ObjectionBankDialog #objections { height: auto; max-height: 16; }
    """

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="bank-box"):
            yield Static(_("Objection bank"), classes="dialog-title", markup=False)
            yield Static(
                _("Objection-handling attempts made: {n}.").format(n=self.session.objection_attempts),
                id="bank-count",
                markup=False,
            )
            yield ChoiceList(id="objections", marks=False, numbers=True)
            yield Static(_("Enter: record the reply as an attempt · Esc: back"), classes="dialog-hint", markup=False)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        script = self.session.script
        objections = script.objections if script else ()
        listing = self.query_one(ChoiceList)
        listing.set_choices([Choice(o.code, f"«{o.client}»", note=o.reply) for o in objections])
        listing.highlighted = 0 if objections else None
        listing.focus()

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.dismiss(event.value)


def open_bank(node: Widget, session: CallSession, after: Callable[[], None]) -> None:
    """Open the bank from a screen or a dialog; a chosen reply becomes an attempt of the call."""
    status = getattr(node, "status", None)
    if session.saved is not None:
        return
    if session.run is None or not session.run.script.objections:
        if callable(status):
            status(_("This campaign's script has no objection bank."), "error")
        return
    if session.run.finished:
        if callable(status):
            status(_("The script ended in a result; step back (Backspace) to handle an objection."), "error")
        return

    def used(code: str | None) -> None:
        if code is None or session.run is None:
            return
        session.run = session.run.use_objection(code)
        if callable(status):
            status(_("Objection-handling attempt recorded ({n} made).").format(n=session.objection_attempts), "success")
        after()

    node.app.push_screen(ObjectionBankDialog(session), used)
