"""K1-K16: the call in progress — the client in brief, the script pane (number keys pick answers,
Backspace steps back), the outcome first, then the result form; Ctrl+S saves, and after saving one
key takes the next client of the same list.

A call starts from the Calls place (the next client of a list, K16) or from a card (the campaign
chosen among the client's lists): see tui.call_start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui import format as fmt
from tui.call_session import CallSession
from tui.call_start import OnClose, begin_call
from tui.call_texts import label, why
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.result_change import confirm_change
from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen, key_display
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.script_pane import ScriptPane
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import HistoryEntry

ANSWERS_GROUP = Binding.Group(N_("Answers"), compact=True)
# Actions that change the call: not once it is saved.
CALL_ACTIONS = {"answer", "step_back", "outcome", "result", "bank", "products", "bureau", "save"}


class CallScreen(CrmScreen):
    PLACE = N_("Call in progress")  # not "Call": that msgid is the action (card key d)
    CRM_HELP = N_(
        "The call in progress. First the outcome of the dial (o): Not reached, Call dropped, Reached, "
        "Do not disturb, Consultation, Visit to client. Reached: follow the script — number keys pick "
        "the answers, Backspace steps back (over an answer that chose a result it asks first). r opens "
        "the result form, b the objection bank, p the offered products, k the credit bureau (card "
        "products only). Ctrl+S saves the result to the contact history; then n takes the next client "
        "of the same list."
    )
    BINDINGS = [
        *(
            Binding(str(n), f"answer({n})", N_("Answers"), id=f"call.answer_{n}", group=ANSWERS_GROUP)
            for n in range(1, 10)
        ),
        Binding("backspace", "step_back", N_("Step back"), id="call.step_back"),
        Binding("o", "outcome", N_("Outcome"), id="call.outcome"),
        Binding("r", "result", N_("Result"), id="call.result"),
        Binding("ctrl+s", "save", N_("Save"), id="call.save", priority=True),
        Binding("n", "next_client", N_("Next client"), id="call.next"),
        Binding("b", "bank", N_("Objections"), id="call.bank"),
        Binding("p", "products", N_("Products"), id="call.products"),
        Binding("k", "bureau", N_("Bureau"), id="call.bureau"),
        Binding("escape", "leave", N_("Back"), id="call.leave"),
    ]
    DEFAULT_CSS = """
    CallScreen #call-client { height: auto; max-height: 4; padding: 0 1; }
    CallScreen #call-summary { height: 3; padding: 0 1; border-top: solid $primary; text-wrap: nowrap; text-overflow: ellipsis; }
    CallScreen #call-summary.-saved { color: $success; }
    """

    def __init__(self, session: CallSession, nav: str = "calls", on_close: OnClose | None = None) -> None:
        super().__init__()
        self.session = session
        self.nav = nav
        self.on_close = on_close

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar(self.nav)
        yield Static("", id="call-client", markup=False)
        yield ScriptPane(id="script")
        yield Static("", id="call-summary", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#call-client", Static).update(self._client_lines())
        self.show()
        self.query_one(ScriptPane).focus()
        if not self.session.outcome_chosen:
            self.call_after_refresh(self.action_outcome)

    # --- showing --------------------------------------------------------------------------

    def _client_lines(self) -> Text:
        session = self.session
        card, start = session.card, session.start
        today = self.app.clock.now().astimezone(self.app.zone).date()  # type: ignore[attr-defined]
        text = Text()  # three lines, a long one wraps (four at most) rather than being cut
        text.append(_("CRM id") + f" {card.id} ", style="bold")
        text.append(card.full_name, style="bold")
        if card.birth_date:
            text.append(f"  {fmt.day(card.birth_date)} ({fmt.age(card.birth_date, today)})")
        place = ", ".join(p for p in (card.region, card.town) if p)
        text.append("\n" + " · ".join(p for p in (_("Phone") + f": {fmt.phone(start.phone) or '—'}", place) if p))
        name = fmt.campaign(start.campaign, start.script.name if start.script else "")
        second = [_("Campaign") + f": {name}"]
        last = next((h for h in card.history if h.kind == "call" and h.result), None)
        if last is not None:
            second.append(
                _("Last: {result} {when}").format(
                    result=fmt.result(last.result), when=fmt.day(last.at.astimezone(self.app.zone).date())
                )  # type: ignore[attr-defined]
            )
        text.append("\n" + " · ".join(second))
        return text

    def show(self) -> None:
        self.query_one(ScriptPane).show(self.session)
        self.query_one("#call-summary", Static).update(self._summary())
        self.query_one("#call-summary").set_class(self.session.saved is not None, "-saved")
        self.refresh_bindings()

    def _summary(self) -> str:
        session, draft = self.session, self.session.draft
        zone = self.app.zone  # type: ignore[attr-defined]
        if session.saved is not None:
            entry = session.saved
            parts = [fmt.result(entry.result)]
            if entry.reason:
                parts.append(fmt.reason(entry.result, entry.reason))
            if entry.next_at:
                parts.append(_("next call {when}").format(when=fmt.moment(entry.next_at, zone)))
            if entry.office:
                parts.append(f"{entry.office} {fmt.moment(entry.visit_at, zone)}")
            first = _("Saved: {what}").format(what=" · ".join(parts))
            return first + "\n" + _("It is in the contact history. n: the next client of this list · Esc: back")
        option = session.option(draft.result)
        if draft.result is None:
            first = _("Result: not chosen yet (o: outcome, r: result form)")
        else:
            parts = [label(option.label) if option else draft.result]
            reason = session.effective_reason()
            if option is not None and reason:
                found = next((r for r in option.reasons if r.code == reason), None)
                parts.append(label(found.label) if found else reason)
            if "next_at" in session.required() and draft.next_date:
                parts.append(_("next call {when}").format(when=f"{draft.next_date} {draft.next_time}".strip()))
            if draft.slot is not None and draft.office is not None:
                parts.append(f"{draft.office.name} {fmt.moment(draft.slot.starts_at, zone)}")
            first = _("Result: {what} — Ctrl+S saves").format(what=" · ".join(parts))
            if option is not None and not option.available:
                first = _("Result: {what} — not available: {why}").format(what=parts[0], why=why(option.why))
        second = [_("Objection-handling attempts: {n}").format(n=session.objection_attempts)]
        names = session.product_names()
        if names:
            second.append(_("Products: {names}").format(names=", ".join(_(n) for n in names)))
        if session.decision is not None:
            second.append(_("Bureau: {label}").format(label=_(session.decision.label)))
        return first + "\n" + " · ".join(second)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        saved = self.session.saved is not None
        if action in CALL_ACTIONS:
            return not saved
        if action == "next_client":
            return saved
        return True

    # --- the script (K2, K14) -------------------------------------------------------------------

    def action_answer(self, number: int) -> None:
        run = self.session.run
        if run is None:
            self.status(_("This campaign has no usable script."), "error")
            return
        if run.block is None:
            self.status(_("The script ended in a result. Backspace steps back to change it."), "error")
            return
        try:
            new = run.choose(number)
        except ValueError:
            self.status(_("There is no answer {n} here.").format(n=number), "error")
            return
        draft = self.session.draft
        if new.outcome is not None and draft.result is not None and draft.result != new.outcome.result:
            self._confirm_change(lambda: self._apply_answer(new))
            return
        self._apply_answer(new)

    def _apply_answer(self, new) -> None:  # type: ignore[no-untyped-def]
        session = self.session
        session.run = new
        session.outcome_chosen = True
        self.status("")
        if new.outcome is not None:
            outcome = new.outcome
            session.draft.choose(outcome.result, outcome.reason, outcome.preset)
            session.draft.from_script = True
            self.show()
            self.action_result()
            return
        self.show()

    def action_step_back(self) -> None:
        run = self.session.run
        if run is None:
            return
        back = run.back()
        if not back.moved:
            self.status(_("This is the start of the script."))
            return
        if back.needs_confirmation and self.session.draft.result is not None:
            self._confirm_change(lambda: self._apply_back(back.state, clear=True))
            return
        self._apply_back(back.state, clear=back.needs_confirmation)

    def _apply_back(self, state, clear: bool) -> None:  # type: ignore[no-untyped-def]
        self.session.run = state
        if clear:
            self.session.draft.choose(None)
            self.status(_("The result chosen earlier is cleared; go on with the script."))
        else:
            self.status("")
        self.show()

    def _confirm_change(self, then: Callable[[], None]) -> None:
        """K14: "Change the result chosen earlier?" — confirm or cancel (the old state stays)."""
        confirm_change(self, self.session, then)

    # --- outcome, result, products, bank, bureau --------------------------------------------------

    def action_outcome(self) -> None:
        if self.session.saved is not None:
            return
        from tui.dialogs.outcome import REACHED, OutcomeDialog

        def chosen(value: str | None) -> None:
            if value is None:
                return
            session = self.session
            if value == REACHED:
                session.reached = True
                session.outcome_chosen = True
                self.status(_("Reached: follow the script; the number keys pick the answers."), "success")
                self.show()
                return
            if session.draft.result is not None and session.draft.result != value:
                self._confirm_change(lambda: self._outcome_result(value))
                return
            self._outcome_result(value)

        self.app.push_screen(OutcomeDialog(self.session), chosen)

    def _outcome_result(self, code: str) -> None:
        session = self.session
        session.outcome_chosen = True
        session.draft.choose(code, session.draft.reason if session.draft.result == code else None)
        session.draft.from_script = False
        self.show()
        self.action_result()

    def action_result(self, save_now: bool = False) -> None:
        from tui.dialogs.call_result import ResultDialog

        self.app.push_screen(ResultDialog(self.session, save_now=save_now), self._result_closed)

    def _result_closed(self, entry: HistoryEntry | None) -> None:
        self.show()
        if entry is None:
            if self.session.draft.result is not None:
                self.status(_("The result is not saved yet: Ctrl+S saves it; r reopens the form."))
            return
        self.status(_("Saved."), "success")

    def action_save(self) -> None:
        if self.session.draft.result is None:
            self.status(_("Choose the outcome (o) or the result (r) first."), "error")
            return
        self.action_result(save_now=True)

    def action_products(self) -> None:
        from tui.dialogs.products import ProductsDialog

        def chosen(ids: list[int] | None) -> None:
            if ids is not None:
                self.session.products = ids
                self.show()

        self.app.push_screen(ProductsDialog(self.session), chosen)

    def action_bank(self) -> None:
        from tui.dialogs.objections import open_bank

        open_bank(self, self.session, self.show)

    def action_bureau(self) -> None:
        if not self.session.card_conversation:
            self.status(why("The credit-bureau check is offered only while talking about a card product."), "error")
            return
        from tui.dialogs.credit_bureau import CreditBureauDialog

        self.app.push_screen(CreditBureauDialog(self.session), lambda _decision: self.show())

    # --- after saving, leaving ------------------------------------------------------------------

    def action_next_client(self) -> None:
        session = self.session
        self.status(_("Taking the next client…"))
        begin_call(
            self,
            session.start.campaign_id,
            started=lambda new: self.app.switch_screen(CallScreen(new, self.nav, self.on_close)),
            empty=lambda: self.status(_("Nobody else to call on this list right now."), "success"),
        )

    def action_leave(self) -> None:
        if self.session.saved is not None:
            self.close()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.close()

        self.app.push_screen(
            ConfirmDialog(
                _("Leave the call without saving a result?"),
                _("Nothing of this call goes to the history; the client comes back to the list later."),
                yes=_("Leave"),
            ),
            answered,
        )

    def close(self) -> None:
        self.app.pop_screen()
        if self.on_close is not None:
            self.on_close(self.session)

    def palette_commands(self) -> list[Command]:
        def key(binding_id: str) -> str:
            return _("Key {key}").format(key=key_display(self, binding_id))

        if self.session.saved is not None:
            return [(_("Next client of this list"), self.action_next_client, key("call.next"))]
        return [
            (_("Outcome of the call"), self.action_outcome, key("call.outcome")),
            (_("Result form"), self.action_result, key("call.result")),
            (_("Save the result"), self.action_save, key("call.save")),
            (_("Objection bank"), self.action_bank, key("call.bank")),
            (_("Offered products"), self.action_products, key("call.products")),
            (_("Credit bureau"), self.action_bureau, key("call.bureau")),
            (_("Step back in the script"), self.action_step_back, key("call.step_back")),
        ]
