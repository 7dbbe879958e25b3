"""The texts of the Reports place that come from core (column and table titles, step names), marked
for the catalogue, and how cells are shown."""

from __future__ import annotations

from datetime import date

from core.reports.files import duration, money_text
from core.reports.tables import Cell
from tui.i18n import N_, _

REPORTS = (
    ("calls", N_("Calls per employee")),
    ("first_calls", N_("First calls")),
    ("periods", N_("Activity by period")),
    ("funnel", N_("Funnel")),
    ("sales", N_("Sales")),
    ("payments", N_("Payment systems")),
)
PERIODS = (
    ("today", N_("Today")),
    ("this_week", N_("This week")),
    ("last_month", N_("Last month")),
    ("this_month", N_("This month")),
    ("yesterday", N_("Yesterday")),
    ("last_week", N_("Last week")),
    ("custom", N_("Custom")),
)
# short enough for the filter rows at 80 columns (the field's help says what they mean)
STEPS = (("day", N_("Days")), ("week", N_("Weeks")), ("month", N_("Months")), ("year", N_("Years")))
FORMATS = (("xlsx", N_("XLSX")), ("csv", N_("CSV")), ("html", N_("HTML")))
CORE_TEXTS = (  # core.reports.tables: table titles and column labels
    N_("Calls per employee"),
    N_("First calls per employee"),
    N_("First calls per desk"),
    N_("Activity by period"),
    N_("Funnel by channel"),
    N_("Funnel by campaign"),
    N_("Employee"),
    N_("Calls"),
    N_("Reached"),
    N_("Successful"),
    N_("Success share"),
    N_("Average talk"),
    N_("Total talk"),
    N_("Clients"),
    N_("Median"),
    N_("90th percentile"),
    N_("Desk"),
    N_("Period"),
    N_("New clients"),
    N_("Agreed / visited"),
    N_("Product"),
    N_("Reached, share"),
    N_("Agreed, share"),
    N_("Product, share"),
    N_("New to product"),
    N_("Channel"),
    N_("Campaign"),
    N_("All"),
    N_("(no employee)"),
    N_("(no desk)"),
    N_("Money by period"),
    N_("Sales per employee"),
    N_("Sales per client"),
    N_("Currency"),
    N_("Deposits"),
    N_("Deposits, sum"),
    N_("Without bonuses"),
    N_("Withdrawals"),
    N_("Withdrawals, sum"),
    N_("Lots"),
    N_("Lots without bonuses"),
    N_("Trade volume"),
    N_("Volume without bonuses"),
    N_("First deposits"),
    N_("First deposits, sum"),
    N_("Repeat deposits"),
    N_("Repeat deposits, sum"),
    N_("Client"),
    N_("First deposit"),
    N_("Payment system"),
    N_("Share of deposits"),
    N_("Share of withdrawals"),
)


def column_label(label: str) -> str:
    """A column's label; the result-code columns of R2 show the result's name."""
    from core.calls.catalogue import catalogue

    found = catalogue().get(label)
    return _(found.label) if found else _(label)


def header_lines(label: str) -> str:
    """A column's label on at most two lines, split at the space that makes it narrowest."""
    words = label.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    best = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])), default=None)
    return label if best is None or max(map(len, best)) >= len(label) else "\n".join(best)


def cell_text(value: Cell, kind: str) -> str:
    if value is None:
        return ""
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
    if kind == "seconds":
        return duration(float(value))  # type: ignore[arg-type]
    if kind == "money":
        return money_text(value)  # type: ignore[arg-type]
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if kind == "text":
        return _(str(value)) if str(value) in CORE_TEXTS else str(value)
    return str(value)


def main_currency(totals: list) -> str | None:  # type: ignore[type-arg]
    """The currency a money chart draws: the one with the most deposits (charts never mix currencies)."""
    if not totals:
        return None
    return max(totals, key=lambda t: (t.total_count if hasattr(t, "total_count") else t.deposits, t.currency)).currency


def money_summary(totals: list, count: str, amount: str) -> str:  # type: ignore[type-arg]
    """Per currency: "1 000.00 USD (3)", joined by "; "."""
    return "; ".join(f"{money_text(getattr(t, amount))} {t.currency} ({getattr(t, count)})" for t in totals)


# A table wider than 80 columns shows a column under the one it belongs to (a count's sum or share,
# the row's currency under its label): bottom label -> (top label, its line in the header).
UNDER = {
    "Currency": (("Employee", "Client", "Payment system", "Period"), N_("Currency")),
    "Client": (("Employee",), N_("Client")),
    "Reached, share": (("Reached",), N_("share")),
    "Agreed, share": (("Agreed / visited",), N_("share")),
    "Product, share": (("Product",), N_("share")),
    "New to product": (("New clients",), N_("to product")),
    "Deposits, sum": (("Deposits",), N_("sum")),
    "Without bonuses": (("Deposits, sum",), N_("w/o bonuses")),
    "Share of deposits": (("Deposits, sum",), N_("share")),
    "Withdrawals, sum": (("Withdrawals",), N_("sum")),
    "Share of withdrawals": (("Withdrawals, sum",), N_("share")),
    "First deposits, sum": (("First deposits",), N_("sum")),
    "Repeat deposits, sum": (("Repeat deposits",), N_("sum")),
    "Lots without bonuses": (("Lots",), N_("w/o bonuses")),
    "Volume without bonuses": (("Trade volume",), N_("w/o bonuses")),
}


def stacks(labels: list[str]) -> list[list[int]]:
    """The screen's columns as groups of the table's column indexes, top first: each column of
    `UNDER` goes under its top one (the nearest before it) when the table has it."""
    groups: list[list[int]] = []
    home: dict[str, int] = {}  # label -> its group
    for index, label in enumerate(labels):
        tops = UNDER.get(label, ((), ""))[0]
        top = next((home[t] for t in reversed(tops) if t in home), None)
        if top is None:
            top = len(groups)
            groups.append([])
        groups[top].append(index)
        home[label] = top
    return groups


def stack_header(labels: list[str], group: list[int]) -> str:
    """The top column's label (on at most two lines), then a line per column under it."""
    top = header_lines(column_label(labels[group[0]]))
    under = [_(UNDER[labels[i]][1]) if labels[i] in UNDER else column_label(labels[i]) for i in group[1:]]
    return "\n".join([top, *under])


Groups = list[list[int]]  # the screen's columns, each the table's columns shown one under another


def shaped(labels: list[str], rows: list[list[str]], groups: Groups) -> tuple[list[str], list[list[str]], int]:
    """(headers, cells, width) of the table's columns grouped so."""
    headers = [stack_header(labels, g) for g in groups]
    cells = [["\n".join(r[i] for i in g) for g in groups] for r in rows]
    widths = [max(len(line) for text in [h, *(c[n] for c in cells)] for line in text.split("\n"))
              for n, h in enumerate(headers)]  # fmt: skip
    return headers, cells, sum(widths) + 2 * len(widths)  # a cell's padding: one each side


def pages(labels: list[str], rows: list[list[str]], room: int) -> list[Groups]:
    """The table in `room` columns: flat when it fits; else each column of `UNDER` under its top
    one; if still too wide (R2 with a column per result), pages of columns, each beginning with
    the label column."""
    flat = [[i] for i in range(len(labels))]
    if shaped(labels, rows, flat)[2] <= room:
        return [flat]
    groups, room = stacks(labels), room - 1  # rows two or three lines high may need the scroll bar
    found: list[Groups] = [groups[:1]]
    for group in groups[1:]:
        if len(found[-1]) > 1 and shaped(labels, rows, [*found[-1], group])[2] > room:
            found.append(groups[:1])
        found[-1] = [*found[-1], group]
    return found
