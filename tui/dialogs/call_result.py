"""K3-K15: the result form — every result of the catalogue (unavailable ones greyed out with the
reason why), the reasons of the chosen one (likewise), the date and time of the next call
prefilled with core's default, the visit (office, time, SMS), the offered products, a comment;
Ctrl+S saves the call (K15) and everything goes to the contact history at once.

Nothing typed is lost: the form writes into the call's `Draft` as the operator types, so closing
it, a refusal of the store, a full slot or a dead store leave every field as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.call_session import local_texts
from tui.call_texts import label, why
from tui.dialogs.base import CrmDialog
from tui.dialogs.result_change import confirm_change
from tui.dialogs.result_save import SavePart
from tui.dialogs.result_visit import VisitPart
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList
from tui.widgets.result_fields import RESULT_CSS, result_fields
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.calls.models import ResultOption
    from core.port import Console
    from tui.call_session import CallSession


class ResultDialog(SavePart, VisitPart, CrmDialog["HistoryEntry | None"]):
    """Answers the saved history entry, or None (closed; the draft stays with the call)."""

    PLACE = N_("Result of the call")
    CRM_HELP = N_(
        "Left: every result; greyed ones say why they cannot be chosen now. Right: what the chosen "
        "result needs — a reason, the date and time of the next call (prefilled with the default), "
        "the office visit (F6), the offered products (F7). For Refused, F8 opens the objection bank. "
        "Ctrl+S saves the call to the contact history; Esc closes the form and keeps what you typed."
    )
    FIELD_HELP = {
        "results": N_(
            "A result's key (1-9, 0, a, b...) or Enter on the highlighted one chooses it and goes to its "
            "fields; the arrows only move. Greyed results say why not."
        ),
        "reasons": N_("A reason's key or Enter chooses it; greyed reasons say why not."),
        "next-date": N_("dd.mm.yyyy. Prefilled with the default: tomorrow for a call back, two weeks for 'think'."),
        "next-time": N_("hh:mm, the operator's time zone."),
        "sms-number": N_("The number the visit SMS goes to: the card's mobile unless you type another."),
        "comment": N_("A comment saved with the result."),
    }
    FIELDS = {
        "result": "results",
        "reason": "reasons",
        "preset": "preset",
        "next_at": "next-date",
        "next_at_time": "next-time",
        "visit_at": "visit-date",
        "visit_at_time": "visit-time",
        "visit": "choose-office",
        "office": "choose-office",
        "slot": "choose-office",
        "products": "choose-products",
        "sms": "sms-number",
        "comment": "comment",
    }
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save the result"), id="result.save", priority=True),
        Binding("f6", "office", N_("Office and time"), id="result.office"),
        Binding("f7", "products", N_("Products"), id="result.products"),
        Binding("f8", "bank", N_("Objection bank"), id="result.bank", show=False),
    ]
    DEFAULT_CSS = RESULT_CSS

    def __init__(self, session: CallSession, save_now: bool = False) -> None:
        super().__init__()
        self.session = session
        self.save_now = save_now
        self._saving = False
        self._number_filled = False

    # --- layout -------------------------------------------------------------------------

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="result-box"):
            yield Static(
                _("Result of the call: {name}").format(name=self.session.card.full_name),
                classes="dialog-title",
                markup=False,
            )
            with Horizontal(id="result-body"):
                yield ChoiceList(id="results", numbers=True)
                yield from result_fields(self.session.draft.comment)
            with Horizontal(classes="buttons"):
                yield Button(_("Save (Ctrl+S)"), id="save", compact=True, variant="primary")
                yield Button(_("Back"), id="cancel", compact=True)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.session.default_products()
        client_id = self.session.start.client_id
        self.call(lambda c: c.mark_result_form(client_id), lambda _: None, group="floor-mark", failed=lambda _: None)
        self.fill()  # the options known so far, at once; the current ones follow
        self.refresh_options(then_save=self.save_now, then_focus=True)

    # --- options from the store -----------------------------------------------------------

    def refresh_options(self, then_save: bool = False, then_focus: bool = False) -> None:
        """Availability depends on the call so far (script, objections, products): ask core again."""
        session = self.session
        state = session.state()
        client_id, campaign_id = session.start.client_id, session.start.campaign_id

        def job(console: Console) -> list[ResultOption]:
            return console.result_options(client_id, campaign_id, state)

        def done(options: list[ResultOption]) -> None:
            session.options = options
            self.fill()
            if then_focus:
                self.focus_first()
            if then_save:
                self.action_save()

        self.call(job, done, group="options", spinner=self.query_one("#results"))

    # --- filling the form from the draft ----------------------------------------------------

    def fill(self) -> None:
        session, draft = self.session, self.session.draft
        results = self.query_one("#results", ChoiceList)
        results.set_choices(
            [Choice(o.code, label(o.label), o.available, why(o.why)) for o in session.options], draft.result
        )
        option = session.option(draft.result)
        head = self.query_one("#result-why", Static)
        head.set_class(option is not None and not option.available, "-unavailable")
        if option is None:
            head.update(_("Choose the result on the left."))
        elif not option.available:
            head.update(f"{label(option.label)}: {why(option.why)}")
        else:
            head.update(label(option.label))
        fields = session.required() if option else []
        self._fill_reasons(option)
        self._fill_preset(option)
        self._show("#next-box", "next_at" in fields)
        if "next_at" in fields:
            self._fill_next(option)
        self._show("#visit-at-box", "visit_at" in fields)
        if "visit_at" in fields:
            self._set("#visit-date", draft.visit_date)
            self._set("#visit-time", draft.visit_time)
        self._show("#visit-box", "visit" in fields)
        self._fill_visit()
        self._show("#sms-box", "visit" in fields and draft.slot is not None)
        self._fill_sms()
        wants_products = option is not None and ("products" in fields or option.code in ("agreed", "card_product"))
        self._show("#products-box", wants_products)
        names = session.product_names()
        self.query_one("#products-text", Static).update(
            _("Offered products: {names}").format(names=", ".join(_(n) for n in names))
            if names
            else _("Offered products: none chosen yet.")
        )
        self._show("#objections-box", option is not None and option.code == "refused")
        self.query_one("#objections-text", Static).update(
            _("Objection-handling attempts made: {n}.").format(n=session.objection_attempts)
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6-F8 only where the chosen result has a use for them (the footer shows what matters)."""
        option = self.session.option(self.session.draft.result)
        code = option.code if option else None
        if action == "office":
            return "visit" in self.session.required()
        if action == "products":
            return code in ("agreed", "card_product") or "products" in self.session.required()
        if action == "bank":
            return code == "refused"
        return True

    def _show(self, selector: str, shown: bool) -> None:
        self.query_one(selector).display = shown

    def _set(self, selector: str, value: str) -> None:
        widget = self.query_one(selector, Input)
        if widget.value != value:
            with self.prevent(Input.Changed):
                widget.value = value

    def _fill_reasons(self, option: ResultOption | None) -> None:
        box = self.query_one("#reason-box")
        box.display = bool(option and option.reasons)
        if not option or not option.reasons:
            return
        self.query_one("#reason-label", Label).update(_("Delivery") if option.code == "card_product" else _("Reason"))
        choices = [Choice(r.code, label(r.label), r.available, why(r.why)) for r in option.reasons]
        self.query_one("#reasons", ChoiceList).set_choices(choices, self.session.effective_reason())

    def _fill_preset(self, option: ResultOption | None) -> None:
        box = self.query_one("#preset", Checkbox)
        preset = option.presets[0] if option and option.presets else None
        box.display = preset is not None
        if preset is None:
            return
        box.label = label(preset.label)
        with self.prevent(Checkbox.Changed):
            box.value = self.session.draft.preset == preset.code

    def _fill_next(self, option: ResultOption | None) -> None:
        draft = self.session.draft
        if option is None:
            return
        default = option.default_next_at
        preset = next((p for p in option.presets if p.code == draft.preset), None)
        if preset is not None and preset.default_next_at is not None:
            default = preset.default_next_at
        texts = local_texts(default, self.app.zone)  # type: ignore[attr-defined]
        if not draft.next_touched and (draft.next_date, draft.next_time) != texts:
            draft.next_date, draft.next_time = texts
        if not draft.next_touched:
            draft.next_default = texts
        self._set("#next-date", draft.next_date)
        self._set("#next-time", draft.next_time)

    def focus_first(self) -> None:
        """The first thing still missing, so the operator types straight on."""
        session, draft = self.session, self.session.draft
        option = session.option(draft.result)
        if option is None or not option.available:
            if option is not None and option.code in ("card_product",) and not session.products:
                self.query_one("#choose-products").focus()
                return
            self.query_one("#results").focus()
            return
        if option.reasons and session.effective_reason() is None:
            self.query_one("#reasons").focus()
        else:
            self.focus_after_reason(dates=True)

    # --- what the operator does -----------------------------------------------------------

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        if event.choice_list.id == "results":
            self.choose_result(event.value)
        elif event.choice_list.id == "reasons":
            self.choose_reason(event.value)

    def choose_result(self, code: str) -> None:
        """K14: a result chosen earlier (by the script, a key or this list) changes only when the
        operator confirms; on No the old one stays."""
        draft = self.session.draft
        if code == draft.result:
            self.focus_first()
            return
        if draft.result is None:
            self._apply_result(code)
            return
        results = self.query_one("#results", ChoiceList)
        confirm_change(self, self.session, lambda: self._apply_result(code), kept=lambda: results.mark(draft.result))

    def _apply_result(self, code: str) -> None:
        draft = self.session.draft
        draft.choose(code)
        draft.from_script = False
        self.status("")
        if self.session.default_products():
            self.refresh_options()
        self.fill()
        self.focus_first()

    def choose_reason(self, code: str) -> None:
        draft = self.session.draft
        draft.reason = code
        option = self.session.option(draft.result)
        preset = next((p for p in option.presets if p.code == draft.preset), None) if option else None
        if preset is not None and preset.reason not in (None, code):
            draft.preset = None
        self.status("")  # "Choose a reason." no longer holds
        self.fill()
        self.focus_after_reason()

    def focus_after_reason(self, dates: bool = False) -> None:
        """What the result still misses, else (the prefilled next call with `dates`) Save: a reason
        chosen by its key leaves the default date as it is and Ctrl+S or Enter saves."""
        draft, fields = self.session.draft, self.session.required()
        if "visit" in fields and (draft.office is None or draft.slot is None):
            self.query_one("#choose-office").focus()
        elif "products" in fields and not self.session.products:
            self.query_one("#choose-products").focus()
        elif "visit_at" in fields:
            self.query_one("#visit-date").focus()
        elif "next_at" in fields and dates:
            self.query_one("#next-date").focus()
        else:
            self.query_one("#save").focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        draft = self.session.draft
        if event.checkbox.id == "preset":
            option = self.session.option(draft.result)
            preset = option.presets[0] if option and option.presets else None
            if preset is None:
                return
            draft.preset = preset.code if event.value else None
            if event.value and preset.reason:
                draft.reason = preset.reason
            self.fill()
        elif event.checkbox.id == "sms-send":
            draft.sms_send = event.value
            self._fill_sms()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        draft = self.session.draft
        attribute = {
            "next-date": "next_date",
            "next-time": "next_time",
            "visit-date": "visit_date",
            "visit-time": "visit_time",
            "comment": "comment",
            "sms-number": "sms_number",
        }.get(event.input.id or "")
        if attribute:
            setattr(draft, attribute, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "save": self.action_save,
            "cancel": self.action_cancel,
            "choose-office": self.action_office,
            "choose-products": self.action_products,
            "open-bank": self.action_bank,
        }
        action = actions.get(event.button.id or "")
        if action:
            action()

    def action_products(self) -> None:
        from tui.dialogs.products import ProductsDialog

        self.app.push_screen(ProductsDialog(self.session), self._products_chosen)

    def _products_chosen(self, ids: list[int] | None) -> None:
        if ids is None:
            return
        self.session.products = ids
        self.fill()
        self.refresh_options()
        self.call_after_refresh(self.focus_first)

    def action_bank(self) -> None:
        from tui.dialogs.objections import open_bank

        open_bank(self, self.session, self._objection_used)

    def _objection_used(self) -> None:
        self.fill()
        self.refresh_options()
