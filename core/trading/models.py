"""The shapes of the broker's side: money, platform events, trading accounts, trades, money requests.

Money is a `Decimal` with its currency everywhere (never a float); sums of different currencies
are refused (`Money.__add__`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, WithJsonSchema

from core.shapes import Moment, Shape, text

MAX_AMOUNT = Decimal("1000000000000")  # 10^12 in any currency: beyond it the input is at fault
EVENT_ID_LEN = 100
_AMOUNT_SCHEMA = {  # a JSON number, or the same as text ("250.50"): exact either way
    "anyOf": [
        {"type": "number", "minimum": -(10**12), "maximum": 10**12},
        {"type": "string", "maxLength": 24, "pattern": r"^-?\d{1,13}(\.\d{1,5})?$"},
    ]
}
Amount = Annotated[
    Decimal,
    Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, max_digits=18, decimal_places=5, allow_inf_nan=False),
    WithJsonSchema(_AMOUNT_SCHEMA),
]
Currency = Annotated[str, Field(strict=True, min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]


class Money(Shape):
    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"Cannot add {other.currency} to {self.currency}.")
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}".replace(",", " ")


class EventKind(StrEnum):
    """I4: what the client cabinet and the trading platform report."""

    REGISTERED = "registered"  # registered in the client cabinet: Lead -> Demo
    REAL_ACCOUNT = "real_account"  # opened a real account: -> Live
    LOGIN = "login"
    LOGOUT = "logout"
    HEARTBEAT = "heartbeat"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRADE_OPENED = "trade_opened"
    TRADE_CLOSED = "trade_closed"
    SNAPSHOT = "snapshot"  # balance and equity of an account


class PaymentStatus(StrEnum):
    """A payment as the platform reports it: waiting for staff or the payment system, done, failed."""

    REQUESTED = "requested"
    COMPLETED = "completed"
    FAILED = "failed"


class RequestStatus(StrEnum):
    """M3: a money request in the CRM."""

    PENDING = "pending"  # manual: in the staff queue
    EXECUTED = "executed"
    REJECTED = "rejected"
    FAILED = "failed"


class PlatformEvent(Shape):
    """One event of the platform or the cabinet; `id` is the platform's, unique: a replay is a no-op."""

    id: text(EVENT_ID_LEN, 1)  # type: ignore[valid-type]
    kind: EventKind
    at: Moment
    client_id: int = Field(strict=True, ge=1, le=2**31 - 1)  # the CRM id the cabinet was registered with
    account: text(40) | None = None  # type: ignore[valid-type]  # the platform's account number
    demo: bool = False  # real_account / snapshot: a demo account
    currency: Currency | None = None
    amount: Amount | None = None
    payment_system: text(60) | None = None  # type: ignore[valid-type]
    status: PaymentStatus | None = None
    manual: bool = False  # deposit / withdrawal: waits for staff (M3) rather than executing itself
    bonus: bool = False  # deposit: credited by the broker as a bonus; trade_opened: traded on bonus money
    reason: text(200) | None = None  # type: ignore[valid-type]  # a failed payment's reason
    balance: Amount | None = None
    equity: Amount | None = None
    margin: Amount | None = None
    margin_level: Amount | None = None  # percent
    ticket: text(40) | None = None  # type: ignore[valid-type]
    symbol: text(20) | None = None  # type: ignore[valid-type]
    side: text(4) | None = None  # type: ignore[valid-type]  # buy | sell
    volume: Amount | None = None
    price: Amount | None = None
    profit: Amount | None = None


class EventOutcome(Shape):
    """What an event did: `applied`, `duplicate` (a replay: nothing written), `unknown_client`, `ignored`."""

    event_id: str
    outcome: str
    detail: str = ""
    lifecycle: str | None = None


class TradingAccount(Shape):
    id: int
    number: str
    demo: bool
    currency: str
    balance: Money
    equity: Money
    margin: Money
    margin_level: Decimal | None = None  # percent; None without open positions
    open_positions: int = 0
    low_balance: bool = False  # C15: below the threshold of its currency
    updated_at: datetime


class Trade(Shape):
    id: int
    ticket: str
    symbol: str
    side: str
    volume: Decimal
    open_price: Decimal
    close_price: Decimal | None = None
    opened_at: datetime
    closed_at: datetime | None = None
    profit: Money | None = None


class TradePage(Shape):
    account_id: int
    trades: list[Trade]
    total: int
    offset: int


class MoneyRequest(Shape):
    """M3: a deposit or withdrawal request."""

    id: int
    client_id: int
    client_name: str
    account: str | None
    kind: str  # deposit | withdrawal
    payment_system: str
    amount: Money
    manual: bool
    status: str  # core.trading.models.RequestStatus
    reason: str | None = None
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None


class TradingView(Shape):
    """The card's trading tab: the accounts and the client's money requests (newest first)."""

    client_id: int
    lifecycle: str
    online: bool
    accounts: list[TradingAccount]
    requests: list[MoneyRequest]


class CabinetRegistration(Shape):
    """M2's answer: the cabinet login and where the credentials went (masked for a masked employee);
    the password is in that e-mail only."""

    client_id: int
    login: str
    email: str
    lifecycle: str


class ClientPulse(Shape):
    """One client as the live card watches it: redraw when any of these differs from what is shown."""

    id: int
    version: int  # raised by every lifecycle, account, money or trade change of the client
    lifecycle: str
    online: bool  # C14 at the server's now: a heartbeat's timeout ends it without an event


class Pulse(Shape):
    """The answer of one light poll: the watched clients (those visible), and the queue's token."""

    clients: list[ClientPulse]
    queue: str | None = None  # changes when a pending money request arrives or is decided; None: not asked
