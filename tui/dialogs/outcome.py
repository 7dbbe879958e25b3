"""K1: the outcome of the call first — Not reached / Call dropped / Reached / Do not disturb /
Consultation / Visit to client; unavailable ones are shown with the reason why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui.call_session import OUTCOMES
from tui.call_texts import why
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.call_session import CallSession

REACHED = "reached"
OUTCOME_GROUP = Binding.Group(N_("Outcome"), compact=True)


class OutcomeDialog(CrmDialog[str]):
    """Answers "reached", a result code, or None (Esc: decide later)."""

    PLACE = N_("Outcome of the call")
    CRM_HELP = N_(
        "How did the dial end? Reached opens the conversation (the script); the others go straight to "
        "their result form. Keys 1-6 choose at once; greyed outcomes say why they cannot be chosen."
    )
    BINDINGS = [
        Binding(str(n), f"pick({n})", label, id=f"outcome.pick_{n}", group=OUTCOME_GROUP, show=False)
        for n, (_code, label) in enumerate(OUTCOMES, 1)
    ]

    DEFAULT_CSS = """
    OutcomeDialog #outcomes { height: auto; max-height: 16; }
    """

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(
                _("Outcome of the call to {name}").format(name=self.session.card.full_name),
                classes="dialog-title",
                markup=False,
            )
            yield ChoiceList(id="outcomes", marks=False, numbers=True)
            yield Static(_("1-6 or Enter: choose · Esc: decide later"), classes="dialog-hint", markup=False)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).set_choices(self.choices())
        self.query_one(ChoiceList).focus()
        self.call_after_refresh(self.app.release_keys)  # type: ignore[attr-defined]  # keys typed ahead

    def choices(self) -> list[Choice]:
        out = []
        for code, label in OUTCOMES:
            option = self.session.option(code)
            if code is None:
                out.append(Choice(REACHED, _(label)))
            elif option is None:
                out.append(Choice(code, _(label)))
            else:
                out.append(Choice(code, _(label), option.available, why(option.why)))
        return out

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_pick(self, number: int) -> None:
        choices = self.query_one(ChoiceList).choices
        if not 1 <= number <= len(choices):
            return
        choice = choices[number - 1]
        if choice.available:
            self.dismiss(choice.value)
        else:
            why = choice.why or _("not available now.")
            self.status(f"{choice.label}: {why}", "error")
