"""O2: the office's calendar — day by day, every visiting time with its free places (at most five
visitors a time); full and past times are shown and cannot be chosen."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui import format as fmt
from tui.call_texts import office_time, office_zone, same_clock, utc_offset
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.offices.models import Office, OfficeSlot
    from core.port import Console
    from tui.call_session import CallSession

PERIOD = 14  # days loaded at a time
STRIP = 7  # days shown in the strip


def nearest_free(slots: list[OfficeSlot], near: OfficeSlot | None) -> int | None:
    """The row of the bookable time nearest to `near` (the first bookable one without it)."""
    free = [(i, s) for i, s in enumerate(slots) if s.bookable]
    if not free:
        return None
    if near is None:
        return free[0][0]
    return min(free, key=lambda pair: (abs(pair[1].starts_at - near.starts_at), pair[1].starts_at))[0]


class SlotCalendarDialog(CrmDialog["OfficeSlot | None"]):
    """Answers the chosen visiting time, or None."""

    PLACE = N_("Calendar of the office")
    CRM_HELP = N_(
        "Left and Right change the day; the strip shows how many places each day has free. Up and "
        "Down move over the times of the day, Enter books the visit at the highlighted time. A time "
        "takes at most five visitors: full and past times are shown but cannot be chosen."
    )
    BINDINGS = [
        Binding("left", "day(-1)", N_("Previous day"), id="slots.prev_day", priority=True),
        Binding("right", "day(1)", N_("Next day"), id="slots.next_day", priority=True),
        Binding("ctrl+r", "reload", N_("Refresh the calendar"), id="slots.reload", show=False),
    ]
    DEFAULT_CSS = """
    SlotCalendarDialog #slots-box { height: 22; }
    SlotCalendarDialog #slots-office { color: $text-muted; }
    SlotCalendarDialog #slots-zone { text-style: bold; }
    SlotCalendarDialog #slots-days { height: 2; margin-top: 1; }
    SlotCalendarDialog #slots-day { text-style: bold; margin-top: 1; }
    SlotCalendarDialog #slots { height: 1fr; }
    """

    def __init__(self, session: CallSession, office: Office, note: str = "", near: OfficeSlot | None = None) -> None:
        super().__init__()
        self.session = session
        self.office = office
        self.note = note
        self.near = near  # a time that filled up meanwhile: open on its day, at the nearest free time
        self.slots: dict[date, list[OfficeSlot]] = {}
        self.loaded_until: date | None = None
        self.first_day: date | None = None
        self.day: date | None = None

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="slots-box"):
            yield Static(
                _("Free times: {office}").format(office=self.office.name), classes="dialog-title", markup=False
            )
            office = self.office
            where = office.address if office.town in office.address else f"{office.town}, {office.address}"
            yield Static(where, id="slots-office", markup=False)
            yield Static("", id="slots-zone", markup=False)
            yield Static("", id="slots-days", markup=False)
            yield Static("", id="slots-day", markup=False)
            yield ChoiceList(id="slots", marks=False, inline=True)
            yield Static(_("Left/Right: day · Enter: book this time · Esc: back"), classes="dialog-hint", markup=False)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        now, zone, mine = self.app.clock.now(), self.zone, self.app.zone  # type: ignore[attr-defined]
        zone_line = self.query_one("#slots-zone", Static)
        zone_line.display = not same_clock(now, zone, mine)
        zone_line.update(
            _("Times are the office's local time ({office}); yours is {operator}.").format(
                office=utc_offset(now, zone), operator=utc_offset(now, mine)
            )
        )
        if self.note:
            self.status(self.note, "error")
        self.query_one("#slots").focus()
        self.load(self._today(), first=True)

    def _today(self) -> date:
        return self.app.clock.now().astimezone(self.zone).date()  # type: ignore[attr-defined]

    @property
    def zone(self) -> tzinfo:
        """The calendar's zone: the office's own (its days and times are local to the office)."""
        return office_zone(self.office, self.app.zone)  # type: ignore[attr-defined]

    def _local_day(self, slot: OfficeSlot) -> date:
        return slot.starts_at.astimezone(self.zone).date()

    # --- loading ----------------------------------------------------------------------------

    def load(self, start: date, first: bool = False) -> None:
        office_id = self.office.id

        def job(console: Console) -> list[OfficeSlot]:
            return console.office_slots(office_id, start, PERIOD)

        def done(slots: list[OfficeSlot]) -> None:
            if first:
                self.slots.clear()
                self.first_day = start
            for day in (start + timedelta(days=n) for n in range(PERIOD)):
                self.slots[day] = []
            for slot in slots:
                self.slots.setdefault(self._local_day(slot), []).append(slot)
            self.loaded_until = start + timedelta(days=PERIOD - 1)
            if first:
                self.day = self._initial_day()
            self.show()

        self.call(job, done, group="slots", spinner=self.query_one("#slots"))

    def _initial_day(self) -> date:
        wanted = self._local_day(self.near) if self.near is not None else None
        if wanted is not None and wanted in self.slots:
            return wanted
        chosen = self.session.draft.slot
        if chosen is not None and chosen.office_id == self.office.id:
            day = self._local_day(chosen)
            if day in self.slots:
                return day
        for day in sorted(self.slots):
            if any(s.bookable for s in self.slots[day]):
                return day
        return self.first_day or self._today()

    def action_reload(self) -> None:
        self.load(self._today(), first=True)

    def action_day(self, step: int) -> None:
        if self.day is None or self.first_day is None:
            return
        day = self.day + timedelta(days=step)
        if day < self.first_day:
            return
        self.day = day
        if self.loaded_until is not None and day > self.loaded_until:
            self.load(self.loaded_until + timedelta(days=1))
            return
        self.show()

    # --- showing ------------------------------------------------------------------------------

    def show(self) -> None:
        day = self.day
        if day is None or self.first_day is None:
            return
        self.query_one("#slots-days", Static).update(self._strip(day))
        slots = self.slots.get(day, [])
        self.query_one("#slots-day", Static).update(self._day_name(day))
        zone, mine = self.zone, self.app.zone  # type: ignore[attr-defined]
        choices = []
        for slot in slots:
            at = office_time(slot.starts_at, zone, mine)
            places = _("{free} of {capacity} places free").format(free=slot.free, capacity=slot.capacity)
            if slot.bookable:
                choices.append(Choice(str(slot.id), at, note=places))
            elif slot.free <= 0:
                choices.append(
                    Choice(
                        str(slot.id),
                        at,
                        False,
                        _("full: {booked} of {capacity} booked").format(booked=slot.booked, capacity=slot.capacity),
                    )
                )
            else:
                choices.append(Choice(str(slot.id), at, False, _("passed")))
        listing = self.query_one("#slots", ChoiceList)
        chosen = self.session.draft.slot
        listing.set_choices(choices, str(chosen.id) if chosen and chosen.office_id == self.office.id else None)
        if listing.highlighted is None or not choices[listing.highlighted].available:
            listing.highlighted = nearest_free(slots, self.near)
        if not slots:
            self.status(_("No visiting times on this day."))
        elif not any(s.bookable for s in slots):
            self.status(_("No free time on this day; Left/Right: another day."))
        elif not self.note:
            self.status("")
        self.note = ""

    def _day_name(self, day: date) -> str:
        return f"{_(fmt.WEEKDAYS[day.weekday()])} {day:%d.%m.%Y}"

    def _strip(self, current: date) -> Text:
        assert self.first_day is not None
        offset = max(0, (current - self.first_day).days - STRIP + 1)
        start = self.first_day + timedelta(days=offset)
        top, bottom = Text(no_wrap=True), Text(no_wrap=True)
        for n in range(STRIP):
            day = start + timedelta(days=n)
            style = "bold reverse" if day == current else ""
            cell = f"{_(fmt.WEEKDAYS[day.weekday()])} {day:%d.%m}"
            top.append(f"{cell:^9}", style=style)
            top.append(" ")
            slots = self.slots.get(day)
            if slots is None:
                free = ""
            else:
                total = sum(s.free for s in slots if s.bookable)
                free = _("{n} free").format(n=total) if slots else "—"
            bottom.append(f"{free:^9}", style=style)
            bottom.append(" ")
        top.append("\n")
        top.append_text(bottom)
        return top

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        for slots in self.slots.values():
            for slot in slots:
                if str(slot.id) == event.value and slot.bookable:
                    self.dismiss(slot)
                    return
