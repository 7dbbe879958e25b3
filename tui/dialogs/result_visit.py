"""The visit part of the result form (O1-O3): the office and its time, the visit SMS (tick,
number, when it goes), and a time that filled up while the form was open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Checkbox, Input, Static

from core.calls.rules import visit_sms_default, visit_sms_plan
from core.offices.rules import first_free, nearest_offices, office_tz
from tui import format as fmt
from tui.call_texts import office_time, office_zone, why
from tui.i18n import _

SLOT_DAYS = 14  # how far ahead the office choice looks for each office's first free time
MAX_LOOKED_AT = 20  # offices whose first free time is looked up (a town has a few)

if TYPE_CHECKING:
    from datetime import datetime

    from core.offices.models import Office, OfficeSlot
    from core.offices.rules import Place
    from core.port import Console
    from tui.call_session import CallSession


class VisitPart:
    """Mixed into `ResultDialog`: fills and handles the office, time and SMS fields."""

    session: CallSession
    _number_filled: bool

    if TYPE_CHECKING:
        from textual.app import App

        app: App[object]

        def query_one(self, selector: str, expect_type: type | None = None): ...  # type: ignore[no-untyped-def]
        def fill(self) -> None: ...
        def focus_first(self) -> None: ...
        def status(self, text: str, kind: str = "info") -> None: ...
        def _set(self, selector: str, value: str) -> None: ...
        def prevent(self, *messages: type): ...  # type: ignore[no-untyped-def]
        def call(self, job, done, **kwargs) -> None: ...  # type: ignore[no-untyped-def]

    def _fill_visit(self) -> None:
        draft = self.session.draft
        text = self.query_one("#visit-text", Static)
        zone = self.app.zone  # type: ignore[attr-defined]
        if draft.office is None:
            text.update(_("Office: not chosen yet."))
            return
        office = draft.office
        lines = [office.name, office.address if office.town in office.address else f"{office.town}, {office.address}"]
        if draft.slot is None:
            lines.append(_("Time: not chosen yet."))
        else:
            when = office_time(draft.slot.starts_at, office_zone(office, zone), zone, with_day=True)
            lines.append(
                _("Time: {when} ({free} of {capacity} places free)").format(
                    when=when, free=draft.slot.free, capacity=draft.slot.capacity
                )
            )
        text.update("\n".join(lines))

    def _sms_ticked(self) -> bool:
        draft = self.session.draft
        if draft.sms_send is not None or draft.slot is None:
            return bool(draft.sms_send)
        app = self.app
        return visit_sms_default(draft.slot.starts_at, app.clock.now(), self._visit_tz())  # type: ignore[attr-defined]

    def _visit_tz(self) -> str:
        """The visit's zone (the office's own): its "today" and "the day before" for the SMS."""
        return office_tz(self.session.draft.office, self.app.settings.timezone)  # type: ignore[attr-defined]

    def _fill_sms(self) -> None:
        draft = self.session.draft
        box = self.query_one("#sms-send", Checkbox)
        ticked = self._sms_ticked()
        with self.prevent(Checkbox.Changed):
            box.value = ticked
        number = self.query_one("#sms-number", Input)
        mobile = next((p for p in self.session.card.phones if p.status == "active" and p.kind == "mobile"), None)
        if mobile is not None and mobile.masked:
            number.placeholder = _("the card's mobile (hidden); or type another number")
        else:
            number.placeholder = _("the client's mobile")
            if not draft.sms_number and mobile is not None and not self._number_filled:
                draft.sms_number = fmt.phone(mobile.number)
        self._number_filled = True
        self._set("#sms-number", draft.sms_number)
        number.disabled = not ticked
        note = self.query_one("#sms-note", Static)
        if draft.slot is None:
            note.update("")
            return
        app = self.app
        plan = visit_sms_plan(draft.slot.starts_at, app.clock.now(), ticked, self._visit_tz())  # type: ignore[attr-defined]
        if not plan.send:
            note.update(_("The visit is today: no SMS unless you tick it."))
        elif plan.send_after is None:
            note.update(_("Sent at once."))
        else:
            note.update(_("Sent the day before the visit: {when}.").format(when=fmt.moment(plan.send_after, app.zone)))  # type: ignore[attr-defined]

    def action_office(self) -> None:
        if "visit" not in self.session.required():
            self.status(_("This result needs no office visit."), "error")
            return
        from tui.dialogs.office_picker import OfficePickerDialog

        office, card = self.session.draft.office, self.session.card
        if office is not None:
            self.app.push_screen(OfficePickerDialog(self.session), self._office_chosen)
            return
        region, town = card.region_id, card.town_id
        today = self.app.clock.now().astimezone(self.app.zone).date()  # type: ignore[attr-defined]

        def job(console: Console) -> tuple[Place, list[Office], dict[int, datetime]]:
            place, offices = nearest_offices(console.offices, region, town)
            free = {o.id: first_free(console.office_slots(o.id, today, SLOT_DAYS)) for o in offices[:MAX_LOOKED_AT]}
            return place, offices, {k: v for k, v in free.items() if v is not None}

        def done(found: tuple[Place, list[Office], dict[int, datetime]]) -> None:
            place, offices, free = found
            self.app.push_screen(OfficePickerDialog(self.session, place, offices, free), self._office_chosen)

        self.call(job, done, group="offices", spinner=self.query_one("#choose-office"))

    def _office_chosen(self, chosen: tuple[Office, OfficeSlot] | None) -> None:
        if chosen is None:
            return
        draft = self.session.draft
        draft.office, draft.slot = chosen
        draft.sms_send = None  # the default follows the new visit day
        self.fill()
        self.status(
            _("Visit: {office}, {when}.").format(
                office=chosen[0].name,
                when=office_time(chosen[1].starts_at, office_zone(chosen[0], self.app.zone), self.app.zone, True),  # type: ignore[attr-defined]
            ),
            "success",
        )
        self.focus_first()

    def _slot_again(self, slot: OfficeSlot | None) -> None:
        draft = self.session.draft
        if slot is None or draft.office is None:
            self.fill()
            return
        self._office_chosen((draft.office, slot))

    def slot_full(self, exc: BaseException) -> None:
        """The time filled up meanwhile: the calendar again, on that day, at the nearest free time."""
        draft = self.session.draft
        self.status(why(getattr(exc, "message", str(exc))), "error")
        office, full = draft.office, draft.slot
        draft.slot = None
        self.fill()
        if office is not None:
            from tui.dialogs.slot_calendar import SlotCalendarDialog

            note = why(getattr(exc, "message", ""))
            self.app.push_screen(SlotCalendarDialog(self.session, office, note=note, near=full), self._slot_again)
