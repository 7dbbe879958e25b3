"""O1: region → town → the offices there, filtered as one types over metro stations, streets and
landmarks; the focused office's details; Enter opens its calendar (O2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from core.offices.rules import keyword_matches
from tui.call_texts import office_time, office_zone
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.places import RegionTown
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from datetime import datetime

    from core.offices.models import Office, OfficeSlot
    from core.offices.rules import Place
    from core.port import Console
    from tui.call_session import CallSession


class OfficePickerDialog(CrmDialog["tuple[Office, OfficeSlot] | None"]):
    """Answers the office and the time chosen in its calendar, or None."""

    PLACE = N_("Office for the visit")
    CRM_HELP = N_(
        "Choose the region and the town (prefilled from the card), then type a metro station, a street "
        "or a landmark: the list keeps the offices that match every word. The focused office's "
        "details are shown on the right. It opens on the client's town, or the nearest place with "
        "offices (the region, else every office). Enter opens the highlighted office's calendar."
    )
    BINDINGS = [Binding("down", "to_list", N_("To the offices"), id="office.to_list", show=False)]
    FIELD_HELP = {
        "office-keyword": N_("Words to look for in the office's name, address, metro stations and landmarks."),
        "office-list": N_("Arrows move; Enter opens the office's calendar of free times."),
    }
    DEFAULT_CSS = """
    OfficePickerDialog #office-box { height: 22; }
    OfficePickerDialog #office-search { height: 1; margin-bottom: 1; }
    OfficePickerDialog #office-search Label { width: 17; padding-left: 1; }
    OfficePickerDialog #office-keyword { width: 1fr; }
    OfficePickerDialog #office-body { height: 1fr; }
    OfficePickerDialog #office-list { width: 1fr; height: 1fr; margin-right: 1; }
    OfficePickerDialog #office-details { width: 30; height: 1fr; color: $text-muted; }
    """

    def __init__(
        self,
        session: CallSession,
        place: Place | None = None,
        offices: list[Office] | None = None,
        free: dict[int, datetime] | None = None,
    ) -> None:
        """`place` and its `offices`: where to open (core.offices.rules.nearest_offices), found before;
        `free`: each office's first free time — the earliest one is highlighted."""
        super().__init__()
        self.session = session
        self.free = free or {}
        office = session.draft.office
        card = session.card
        if place is None:
            place = (office.region_id, office.town_id) if office else (card.region_id, card.town_id)
        self.initial = place
        self.prefetched = offices
        self.offices: list[Office] = []
        self.shown: list[Office] = []
        self.place: tuple[int | None, int | None] = (None, None)

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="office-box"):
            yield Static(_("Office for the visit"), classes="dialog-title", markup=False)
            yield RegionTown(*self.initial)
            with Horizontal(id="office-search"):
                yield Label(_("Search"))
                yield Input(id="office-keyword", compact=True, placeholder=_("metro, street, landmark"))
            with Horizontal(id="office-body"):
                yield OptionList(id="office-list", compact=True)
                yield Static("", id="office-details", markup=False)
            yield Static(_("Enter: the office's calendar · Esc: back"), classes="dialog-hint", markup=False)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        region, town = self.initial
        if self.prefetched is not None:
            self.app.cache[f"offices:{region}:{town}"] = self.prefetched  # type: ignore[attr-defined]
        if region is None and not self.prefetched:
            self.query_one("#region").focus()
            self.status(_("Choose the region and the town."))
        else:
            self.query_one("#office-keyword").focus()
            self.load(*self.initial)

    # --- loading --------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "town":
            return
        event.stop()
        places = self.query_one(RegionTown)
        region, town = places.region_id, places.town_id
        if region is not None and (region, town) != self.place:
            self.load(region, town)

    def load(self, region_id: int | None, town_id: int | None) -> None:
        self.place = (region_id, town_id)
        cache = self.app.cache  # type: ignore[attr-defined]
        key = f"offices:{region_id}:{town_id}"
        if key in cache:
            self._got(cache[key])
            return

        def job(console: Console) -> list[Office]:
            return console.offices(region_id, town_id)

        def done(offices: list[Office]) -> None:
            cache[key] = offices
            self._got(offices)

        self.status(_("Loading the offices…"))
        self.call(job, done, group="offices", spinner=self.query_one("#office-list"))

    def _got(self, offices: list[Office]) -> None:
        self.offices = offices
        self.status("")
        self.filter()

    # --- filtering as one types -------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "office-keyword":
            event.stop()
            self.filter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "office-keyword":
            event.stop()
            listing = self.query_one("#office-list", OptionList)
            index = listing.highlighted if listing.highlighted is not None else 0
            if 0 <= index < len(self.shown):  # the highlighted office (the only one, or the first)
                self.open_calendar(self.shown[index])

    def action_to_list(self) -> None:
        """Down in the search line: to the offices (in the list, Down moves as usual)."""
        listing = self.query_one("#office-list", OptionList)
        if listing.option_count:
            listing.focus()
            if listing.highlighted is None:
                listing.highlighted = 0

    def filter(self) -> None:
        keyword = self.query_one("#office-keyword", Input).value
        shown = [o for o in self.offices if keyword_matches(keyword, o.name, o.address, o.keywords)]
        listing = self.query_one("#office-list", OptionList)
        if [o.id for o in shown] != [o.id for o in self.shown] or listing.option_count != len(shown):
            self.shown = shown
            chosen = self.session.draft.office
            listing.set_options([Option(self._prompt(o), id=str(o.id)) for o in shown])
            index = next((i for i, o in enumerate(shown) if chosen and o.id == chosen.id), None)
            if index is None and shown:
                index = self._earliest(shown)
            listing.highlighted = index
        self._details()
        if not self.offices and self.place[0] is not None:
            self.status(_("No offices in this town; choose another town or the whole region."))
        elif not shown:
            self.status(_("No office matches “{words}”.").format(words=keyword.strip()))
        else:
            self.status(_("{n} of {total} offices.").format(n=len(shown), total=len(self.offices)))

    def _earliest(self, shown: list[Office]) -> int:
        """The row of the office with the earliest free time (the first row without any known)."""
        known = [(self.free[o.id], i) for i, o in enumerate(shown) if o.id in self.free]
        return min(known)[1] if known else 0

    def _prompt(self, office: Office) -> Text:
        text = Text(office.name, style="bold")
        at = self.free.get(office.id)
        if at is not None:
            zone = self.app.zone  # type: ignore[attr-defined]
            when = office_time(at, office_zone(office, zone), zone, with_day=True)
            text.append("  " + _("first free: {when}").format(when=when), style="")
        text.append(f"\n  {office.address}", style="dim")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._details()

    def _details(self) -> None:
        listing = self.query_one("#office-list", OptionList)
        details = self.query_one("#office-details", Static)
        index = listing.highlighted
        if index is None or index >= len(self.shown):
            details.update("")
            return
        o = self.shown[index]
        lines = [o.name, o.address if o.town in o.address else f"{o.town}, {o.address}"]
        if o.hours:
            lines.append(_("Hours: {hours}").format(hours=o.hours))
        if o.phone:
            lines.append(_("Phone: {phone}").format(phone=o.phone))
        if o.keywords:
            lines.append(_("Nearby: {keywords}").format(keywords=o.keywords))
        details.update("\n".join(lines))

    # --- choosing -----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.shown):
            self.open_calendar(self.shown[index])

    def open_calendar(self, office: Office) -> None:
        from tui.dialogs.slot_calendar import SlotCalendarDialog

        def chosen(slot: OfficeSlot | None) -> None:
            if slot is not None:
                self.dismiss((office, slot))

        self.app.push_screen(SlotCalendarDialog(self.session, office), chosen)
