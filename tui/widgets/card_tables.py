"""The tables of the card's tabs (C5-C10, C16): columns, rows, and the detail view of a row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable

from tui import format as fmt
from tui.bindings import localize_bindings
from tui.i18n import N_, _

ROW_KEYS = [
    Binding("home", "scroll_top", N_("First row"), id="table.first", show=False),
    Binding("end", "scroll_bottom", N_("Last row"), id="table.last", show=False),
]

COMMENT_START = 30  # a comment in the history list: two lines of the column at most
Columns = Sequence[tuple[str, int]]  # (msgid, width)
Detail = list[tuple[str, str]]  # (label, value)


class CardTable(DataTable[str]):
    """One table for every list tab of the card: `show(kind, columns, items, row)` swaps what it
    holds. A single shared table keeps the card screen small, and a small screen is quick to show."""

    BINDINGS = ROW_KEYS

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)
        self.kind = ""
        self.items: list[Any] = []
        self._row: Callable[[Any], tuple[str, ...]] = lambda _item: ()

    def show(self, kind: str, columns: Columns, items: Sequence[Any], row: Callable[[Any], tuple[str, ...]]) -> None:
        keep = self.cursor_row if kind == self.kind and self.row_count else 0
        if kind != self.kind:
            self.clear(columns=True)
            for title, width in columns:
                self.add_column(_(title), width=width)
            self.kind = kind
        else:
            self.clear()
        self.items = []
        self._row = row
        self.extend(items)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1), animate=False)

    def extend(self, items: Sequence[Any]) -> None:
        for item in items:
            self.items.append(item)
            self.add_row(*self._row(item), key=str(len(self.items) - 1), height=None)

    def current(self) -> Any | None:
        if not self.row_count or self.cursor_row < 0 or self.cursor_row >= len(self.items):
            return None
        return self.items[self.cursor_row]


# --- columns ---------------------------------------------------------------------------------------
# At 80 columns: the widths, two cells of padding per column and the one-cell scrollbar make 80.
# Nothing is cut: a longer value wraps inside its cell (rows grow), employees read "Surname I. P."
# (the detail view has the full name).

HISTORY = ((N_("When"), 16), (N_("Kind"), 10), (N_("Campaign"), 14), (N_("Result"), 15), (N_("Employee"), 14))
PRODUCTS = ((N_("Product"), 21), (N_("Category"), 12), (N_("Opened"), 10), (N_("Closed"), 10), (N_("Amount"), 16))
TRANSACTIONS = ((N_("When"), 16), (N_("Operation"), 10), (N_("Amount"), 16), (N_("Description"), 28))
LINKED = ((N_("CRM id"), 8), (N_("Full name"), 32), (N_("Type"), 16), (N_("Entered"), 10))
CHANGES = ((N_("When"), 16), (N_("Data"), 14), (N_("Old value"), 20), (N_("New value"), 20))


def history_row(zone: tzinfo) -> Callable[[Any], tuple[str, ...]]:
    def row(h: Any) -> tuple[str, ...]:
        result = fmt.result(h.result)
        if h.reason:
            why = fmt.reason(h.result, h.reason)
            result = f"{result}: {why}" if result else why
        if h.kind in ("comment", "automation") and not result and h.comment:  # its start; the detail view has it all
            first = h.comment.splitlines()[0]
            result = first if len(first) <= COMMENT_START else first[: COMMENT_START - 1].rstrip() + "…"
        return (
            fmt.moment(h.at, zone),
            fmt.label(fmt.CONTACT_KINDS, h.kind),
            h.campaign or "",
            result,
            fmt.short_name(h.employee),
        )

    return row


def product_row(p: Any) -> tuple[str, ...]:
    return (
        _(p.product),
        fmt.product_category(p.category),
        fmt.day(p.opened_on),
        fmt.day(p.closed_on),
        fmt.money(p.amount, p.currency),
    )


def transaction_row(zone: tzinfo) -> Callable[[Any], tuple[str, ...]]:
    def row(t: Any) -> tuple[str, ...]:
        amount = fmt.money(t.amount, t.currency)
        return (fmt.moment(t.at, zone), fmt.label(fmt.TRANSACTION_KINDS, t.kind), amount, t.description or "")

    return row


def linked_row(c: Any) -> tuple[str, ...]:
    return (str(c.id), c.full_name, fmt.client_type(c.client_type), fmt.day(c.created_at.date()))


def change_row(zone: tzinfo) -> Callable[[Any], tuple[str, ...]]:
    def row(c: Any) -> tuple[str, ...]:
        return (
            fmt.moment(c.at, zone),
            fmt.label(fmt.CHANGE_FIELDS, c.field),
            fmt.change_value(c.field, c.old),
            fmt.change_value(c.field, c.new),
        )

    return row


# --- the detail view ("open in detail") ----------------------------------------------------------


def detail(kind: str, item: Any, zone: tzinfo) -> tuple[str, Detail]:
    """The title and the label/value lines of one row in full."""
    if kind == "history":
        return _("Contact in detail"), [
            (_("When"), fmt.moment(item.at, zone)),
            (_("Ended"), fmt.moment(item.ended_at, zone)),
            (_("Duration"), fmt.duration(item.duration_s)),
            (_("Kind"), fmt.label(fmt.CONTACT_KINDS, item.kind)),
            (_("Campaign"), item.campaign or ""),
            (_("Result"), fmt.result(item.result)),
            (_("Reason"), fmt.reason(item.result, item.reason)),
            (_("Offered products"), ", ".join(_(p) for p in item.products)),
            (_("Office"), item.office or ""),
            (_("Visit"), fmt.moment(item.visit_at, zone)),
            (_("Phone"), fmt.phone(item.phone)),
            (_("Employee"), item.employee or ""),
            (_("Comment"), item.comment or ""),
        ]
    if kind in ("products", "closed"):
        return _("Product in detail"), [
            (_("Product"), _(item.product)),
            (_("Category"), fmt.product_category(item.category)),
            (_("Contract"), item.contract or ""),
            (_("Opened"), fmt.day(item.opened_on)),
            (_("Closed"), fmt.day(item.closed_on)),
            (_("Amount"), fmt.money(item.amount, item.currency)),
            (_("State"), _("Closed") if item.closed_on else _("Current")),
        ]
    if kind == "transactions":
        return _("Card transaction in detail"), [
            (_("When"), fmt.moment(item.at, zone)),
            (_("Operation"), fmt.label(fmt.TRANSACTION_KINDS, item.kind)),
            (_("Amount"), fmt.money(item.amount, item.currency)),
            (_("Description"), item.description or ""),
            (_("Product"), _(item.product) if item.product else ""),
        ]
    if kind == "changes":
        return _("Change of contact data in detail"), [
            (_("When"), fmt.moment(item.at, zone)),
            (_("Data"), fmt.label(fmt.CHANGE_FIELDS, item.field)),
            (_("Old value"), fmt.change_value(item.field, item.old)),
            (_("New value"), fmt.change_value(item.field, item.new)),
            (_("Reason"), _(item.reason) if item.reason else ""),
            (_("Employee"), item.employee or ""),
            (_("Comment"), item.comment or ""),
        ]
    return _("In detail"), []
