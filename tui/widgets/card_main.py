"""C1: the main block of the card, and the "Personal data" tab with the contact block (C2, C3, S5-S7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tui import format as fmt
from tui.errors import translate_message
from tui.i18n import _

if TYPE_CHECKING:
    from core.clients.models import ClientCard


def passport(card: ClientCard) -> str:
    return " ".join(p for p in (card.passport_series, card.passport_number) if p)


def place(card: ClientCard) -> str:
    return ", ".join(p for p in (card.region, card.town) if p)


def active_phones(card: ClientCard) -> list[str]:
    return [fmt.phone(p.number, p.masked) for p in card.phones if p.status == "active"]


def stage(card: ClientCard) -> str:
    """C13: the stage and the online mark; empty for a client without a broker lifecycle."""
    if not card.shows_stage:
        return ""
    return fmt.label(fmt.LIFECYCLES, card.lifecycle) + ((", " + _("online")) if card.online else "")


class MainBlock(Static):
    """Three lines: id and name; type, place and passport; phones and e-mail."""

    DEFAULT_CSS = """
    MainBlock { height: 3; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__("", id="main-block", markup=False)

    def show(self, card: ClientCard, today: date) -> None:
        text = Text()
        text.append(_("CRM id") + f" {card.id}  ", style="bold")
        text.append(card.full_name, style="bold")
        if card.birth_date:
            text.append(f"  {fmt.day(card.birth_date)} ({fmt.age(card.birth_date, today)})")
        if card.possible_duplicate:
            text.append("  [" + _("possible duplicate") + "]", style="bold")
        if card.do_not_disturb:
            text.append("  [" + _("do not disturb") + "]", style="bold")
        if card.online:  # C14: a word, not a colour alone
            text.append("  [" + _("online") + "]", style="bold green")
        second = [_("Type") + f": {fmt.client_type(card.client_type)}"]
        if card.shows_stage:  # C13: a broker's client: Lead, Demo or Live, from the platform's events
            second.append(_("Stage") + f": {fmt.label(fmt.LIFECYCLES, card.lifecycle)}")
        if place(card):
            second.append(place(card))
        if passport(card):
            second.append(_("Passport") + f" {passport(card)}")
        text.append("\n" + " · ".join(second))
        phones = active_phones(card)
        third = _("Phones") + f": {', '.join(phones) if phones else '—'}"
        if card.emails:
            third += " · " + _("E-mail") + f": {', '.join(e.address for e in card.emails)}"
        text.append("\n" + third)
        fourth = pipeline_line(card, self.app.zone, self.app.clock.now())  # type: ignore[attr-defined]
        if fourth:  # M4, M7: a fourth line only when there is something to say
            text.append("\n" + fourth)
        self.styles.height = 4 if fourth else 3
        self.update(text)


def titled(title: str, rule: str) -> Text:
    """The block's title and its edit rule on one line: `Personal data · e edits`."""
    return Text.assemble((title, "bold"), " · ", (rule, "italic"))


def label_grid(rows: list[tuple[str, str]]) -> Table:
    """Labels in one column, values in the next: a long value wraps under itself, never to the
    left edge, and never runs into its label."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


class PersonalPane(Horizontal):
    """2.1 "Personal data": the personal block and the contact block, each with its edit rule."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)

    DEFAULT_CSS = """
    PersonalPane { height: 1fr; }
    PersonalPane > VerticalScroll { width: 1fr; height: 1fr; padding: 0 1; }
    PersonalPane .readonly { text-style: italic; }
    PersonalPane #phones { height: auto; max-height: 7; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="personal-block"):
            yield Static("", id="personal-rule", markup=False)
            yield Static("", id="personal-fields", markup=False)
        with Vertical(id="contact-block"):
            yield Static("", id="contacts-rule", markup=False)
            phones: DataTable[str] = DataTable(id="phones", cursor_type="row", zebra_stripes=False)
            phones.add_column(_("Phone"), width=16, key="number")
            phones.add_column(_("Kind"), width=5, key="kind")
            phones.add_column(_("State"), width=11, key="state")
            yield phones
            yield Static("", id="emails", markup=False)

    def show(self, card: ClientCard, today: date) -> None:
        self.show_fields(card, today)
        self._show_contacts(card)

    def show_fields(self, card: ClientCard, today: date) -> None:
        """The personal data block alone (the live card redraws it when the stage changes)."""
        rule = (
            _("Editable: e edits.")
            if card.personal_editable
            else _("Read-only: {reason}").format(reason=translate_message(card.personal_readonly_reason or ""))
        )
        self.query_one("#personal-rule", Static).update(titled(_("Personal data"), rule))
        rows = [  # the CRM id is on the main block above
            (_("Surname"), card.surname),
            (_("First name"), card.first_name),
            (_("Patronymic"), card.patronymic),
            (
                _("Birth date"),
                f"{fmt.day(card.birth_date)} ({fmt.age(card.birth_date, today)})" if card.birth_date else "",
            ),
            (_("Client type"), fmt.client_type(card.client_type)),
            (_("Stage"), stage(card)),
            (_("Region"), card.region or ""),
            (_("Town"), card.town or ""),
            (_("Passport"), passport(card)),
            (_("Desk"), card.desk or ""),
            (_("Responsible"), card.responsible or ""),
            (_("Recommended by"), _("a client of another desk") if card.referrer_hidden else card.referrer or ""),
        ]
        rows = [(label, value) for label, value in rows if value]  # at 80x24 every row counts
        self.query_one("#personal-fields", Static).update(label_grid(rows))

    def _show_contacts(self, card: ClientCard) -> None:
        contacts_rule = (
            _("Editable: c edits, x strikes a phone out.")
            if card.contacts_editable
            else _("Read-only: {reason}").format(reason=translate_message(card.contacts_readonly_reason or ""))
        )
        self.query_one("#contacts-rule", Static).update(titled(_("Contact data"), contacts_rule))
        table = self.query_one("#phones", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for p in card.phones:
            state = fmt.label(fmt.PHONE_STATUSES, p.status)
            if p.status == "struck":
                state = f"{state}: {fmt.strike_reason(p.strike_reason)}"
                number = Text(fmt.phone(p.number, p.masked), style="strike")
            else:
                number = Text(fmt.phone(p.number, p.masked))
            table.add_row(number, fmt.label(fmt.PHONE_KINDS_SHORT, p.kind), state, key=str(p.id))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        emails = ", ".join(e.address for e in card.emails) or "—"
        self.query_one("#emails", Static).update(_("E-mail") + f": {emails}")

    def clear(self) -> None:
        for widget_id in ("#personal-rule", "#personal-fields", "#contacts-rule", "#emails"):
            self.query_one(widget_id, Static).update("")
        self.query_one("#phones", DataTable).clear()

    def highlighted_phone(self) -> int | None:
        table = self.query_one("#phones", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return int(key) if key is not None else None


def pipeline_line(card: ClientCard, zone: object, now: datetime) -> str:
    """The last actual action (done, open, or overdue in words) and the tags."""
    from core.work.rules import is_overdue

    parts = []
    last = card.last_action
    if last is not None:
        due = last.due_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")  # type: ignore[arg-type]
        state = _("done") if last.done_at else _("OVERDUE") if is_overdue(last.due_at, None, now) else _("open")
        parts.append(_("Last action") + f": {_(last.type_name)} {due} ({state})")
    if card.tags:
        parts.append(_("Tags") + ": " + " ".join(f"#{t}" for t in card.tags))
    return " · ".join(parts)
