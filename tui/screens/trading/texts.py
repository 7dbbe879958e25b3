"""Labels and rows of the broker's tables: money as text with its currency, never a float."""

from __future__ import annotations

from datetime import tzinfo

from rich.markup import escape

from core.trading.models import Money, MoneyRequest, Trade, TradingAccount
from tui import format as fmt
from tui.i18n import N_, _

ACCOUNT_COLUMNS = (
    (N_("Account"), 12),
    (N_("Balance"), 14),
    (N_("Equity"), 14),
    (N_("Margin %"), 8),
    (N_("Open"), 4),
    (N_("Mark"), 13),
)
TRADE_COLUMNS = (
    (N_("Opened"), 11),
    (N_("Symbol"), 7),
    (N_("Side"), 4),
    (N_("Volume"), 6),
    (N_("Open"), 9),
    (N_("Close"), 9),
    (N_("Profit"), 12),
)
# a deposit's amount is "+", a withdrawal's "-": the kind without a column (80 columns)
REQUEST_COLUMNS = ((N_("Date"), 11), (N_("Amount"), 13), (N_("System"), 10), (N_("Status"), 9), (N_("Reason"), 25))
QUEUE_COLUMNS = (
    (N_("Date"), 11),
    (N_("Amount"), 13),
    (N_("System"), 9),
    (N_("Client"), 14),
    (N_("Status"), 9),
    (N_("Reason"), 10),
)
KINDS = {"deposit": N_("Deposit"), "withdrawal": N_("Withdrawal")}
STATUSES = {"pending": N_("Pending"), "executed": N_("Executed"), "rejected": N_("Rejected"), "failed": N_("Failed")}
SIDES = {"buy": N_("Buy"), "sell": N_("Sell")}


def money(value: Money | None) -> str:
    if value is None:
        return ""
    return f"{value.amount:,.2f} {value.currency}".replace(",", " ")


def when(moment, zone: tzinfo) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(zone).strftime("%d.%m %H:%M") if moment else ""


def account_row(a: TradingAccount) -> tuple[str, ...]:
    level = f"{a.margin_level:.0f}" if a.margin_level is not None else ""
    mark = escape("[" + _("low balance") + "]") if a.low_balance else ""  # C15: a word, not a colour alone
    number = a.number + " (" + _("Demo") + ")" if a.demo else a.number
    return (number, money(a.balance), money(a.equity), level, str(a.open_positions), mark)


def trade_row(zone: tzinfo):  # type: ignore[no-untyped-def]
    def row(t: Trade) -> tuple[str, ...]:
        close = "" if t.close_price is None else f"{t.close_price.normalize():f}"
        side = fmt.label(SIDES, t.side)
        return (when(t.opened_at, zone), t.symbol, side, f"{t.volume:.2f}", f"{t.open_price.normalize():f}", close,
                money(t.profit) if t.profit else _("open"))  # fmt: skip

    return row


def signed(r: MoneyRequest) -> str:
    return ("+" if r.kind == "deposit" else "-") + money(r.amount)


def request_row(zone: tzinfo, client: bool = False):  # type: ignore[no-untyped-def]
    """A money request's row; `client`: with the client's name (the queue)."""

    def row(r: MoneyRequest) -> tuple[str, ...]:
        who = (escape(fmt.short_name(r.client_name)),) if client else ()
        status = fmt.label(STATUSES, r.status)
        return (when(r.created_at, zone), signed(r), escape(r.payment_system), *who, status, escape(r.reason or ""))

    return row
