"""The broker's rules: what an event changes (lifecycle, online, accounts, money), who is online,
what a low balance is. Pure functions over the state the store read (`core.trading.store`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from core.errors import ValidationFailed
from core.trading.models import EventKind, PaymentStatus, PlatformEvent, RequestStatus
from core.vocab import Lifecycle

DEFAULT_ONLINE_TIMEOUT_S = 300
DEFAULT_LOW_BALANCE = {"USD": Decimal("100"), "EUR": Decimal("100"), "RUB": Decimal("10000")}
_ORDER = {Lifecycle.LEAD.value: 0, Lifecycle.DEMO.value: 1, Lifecycle.LIVE.value: 2}
INSUFFICIENT = "Insufficient funds."
OTHER_CURRENCY = "The currency differs from the account's."
NO_ACCOUNT = "No such trading account of the client."
# M3: the notice of a rejection, per client language ({kind}: deposit/withdrawal in that language)
REJECTION_SMS = {
    "ru": "{first_name}, ваша заявка на {kind} {amount} отклонена: {reason}",
    "en": "{first_name}, your {kind} request of {amount} was rejected: {reason}",
}
KIND_WORDS = {
    "ru": {"deposit": "пополнение", "withdrawal": "вывод"},
    "en": {"deposit": "deposit", "withdrawal": "withdrawal"},
}


@dataclass(frozen=True)
class TradingConfig:
    online_timeout_s: int = DEFAULT_ONLINE_TIMEOUT_S
    low_balance: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_LOW_BALANCE))


@dataclass(frozen=True)
class AccountState:
    id: int
    client_id: int
    currency: str
    balance: Decimal


@dataclass(frozen=True)
class EventState:
    """What the store read for an event, in the event's transaction."""

    client_found: bool
    lifecycle: str | None = None
    last_seen_at: datetime | None = None
    account: AccountState | None = None


@dataclass
class EventEffect:
    """What the store writes for an event, in the same transaction as its id."""

    outcome: str = "applied"
    detail: str = ""
    lifecycle: str | None = None  # the new lifecycle, if it changes (a history entry is written)
    old_lifecycle: str | None = None
    seen_at: datetime | None = None  # login / heartbeat: last_seen_at and online_until
    online_until: datetime | None = None
    offline: bool = False  # logout
    open_account: bool = False  # account number, demo, currency from the event
    snapshot: bool = False  # balance / equity / margin from the event
    request_status: str | None = None  # deposit / withdrawal: the money request written
    balance_delta: Decimal | None = None  # executed at once: the account's balance moves
    trade: str | None = None  # "open" | "close"


def lifecycle_after(current: str, kind: EventKind) -> str | None:
    """C13: Lead -> Demo on registration, -> Live on a real account; never backwards. A real account
    before any registration takes a Lead straight to Live (the registration is then implied)."""
    target = {EventKind.REGISTERED: Lifecycle.DEMO.value, EventKind.REAL_ACCOUNT: Lifecycle.LIVE.value}.get(kind)
    if target is None or _ORDER.get(current, 0) >= _ORDER[target]:
        return None
    return target


def _need(event: PlatformEvent, *names: str) -> None:
    for name in names:
        if getattr(event, name) is None:
            raise ValidationFailed(f"A {event.kind.value} event needs '{name}'.", field=name)


def check_event(event: PlatformEvent) -> None:
    """The fields each kind needs; refused before anything is written."""
    kind = event.kind
    if kind in (EventKind.DEPOSIT, EventKind.WITHDRAWAL):
        _need(event, "account", "amount", "currency", "payment_system", "status")
        if event.amount is not None and event.amount <= 0:
            raise ValidationFailed("An amount must be above zero.", field="amount")
    elif kind in (EventKind.REAL_ACCOUNT, EventKind.SNAPSHOT):
        _need(event, "account", "currency")
    elif kind == EventKind.TRADE_OPENED:
        _need(event, "account", "ticket", "symbol", "side", "volume", "price")
    elif kind == EventKind.TRADE_CLOSED:
        _need(event, "account", "ticket", "price", "profit")


def decide(event: PlatformEvent, state: EventState, config: TradingConfig) -> EventEffect:
    """What `event` changes given `state`. Out of order: a real account before registration goes
    Lead -> Live; a heartbeat or logout older than the last one seen changes nothing; money or
    trades for an account not opened yet open it (the platform knows it exists)."""
    if not state.client_found:
        return EventEffect(outcome="unknown_client", detail="No client with this CRM id.")
    kind = event.kind
    effect = EventEffect()
    current = state.lifecycle or Lifecycle.LEAD.value
    target = lifecycle_after(current, kind)
    if target is not None:
        effect.lifecycle, effect.old_lifecycle = target, current
    stale = state.last_seen_at is not None and event.at < state.last_seen_at
    if kind in (EventKind.LOGIN, EventKind.HEARTBEAT):
        if stale:
            return EventEffect(outcome="ignored", detail="Older than the last presence seen.")
        effect.seen_at = event.at
        effect.online_until = event.at + timedelta(seconds=config.online_timeout_s)
    elif kind == EventKind.LOGOUT:
        if stale:
            return EventEffect(outcome="ignored", detail="Older than the last presence seen.")
        effect.seen_at, effect.offline = event.at, True
    if state.account is not None and state.account.client_id != event.client_id:
        return EventEffect(outcome="ignored", detail="The account belongs to another client.")
    if event.account is not None and state.account is None:
        if event.currency is None:
            return EventEffect(outcome="ignored", detail="An account not opened yet, without its currency.")
        effect.open_account = True
    if kind == EventKind.SNAPSHOT:
        effect.snapshot = True
    elif kind in (EventKind.DEPOSIT, EventKind.WITHDRAWAL):
        _money(event, state, effect)
    elif kind == EventKind.TRADE_OPENED:
        effect.trade = "open"
    elif kind == EventKind.TRADE_CLOSED:
        effect.trade = "close"
    return effect


def _money(event: PlatformEvent, state: EventState, effect: EventEffect) -> None:
    assert event.amount is not None
    currency = state.account.currency if state.account is not None else event.currency
    balance = state.account.balance if state.account is not None else Decimal(0)
    if event.currency != currency:
        effect.request_status, effect.detail = RequestStatus.FAILED.value, OTHER_CURRENCY
    elif event.status == PaymentStatus.FAILED:
        effect.request_status, effect.detail = (
            RequestStatus.FAILED.value,
            event.reason or "Failed by the payment system.",
        )
    elif event.status == PaymentStatus.REQUESTED and event.manual:
        effect.request_status = RequestStatus.PENDING.value
    else:  # automatic, or already completed by the platform: executes itself
        delta = event.amount if event.kind == EventKind.DEPOSIT else -event.amount
        if balance + delta < 0:
            effect.request_status, effect.detail = RequestStatus.FAILED.value, INSUFFICIENT
        else:
            effect.request_status, effect.balance_delta = RequestStatus.EXECUTED.value, delta


def stage_applies(broker_desk: bool, lifecycle: str | None) -> bool:
    """C13: Lead/Demo/Live is a broker's notion: shown for a broker desk's client, or once the
    platform's events moved a client past Lead; a bank's client carries none."""
    return broker_desk or (lifecycle or Lifecycle.LEAD.value) != Lifecycle.LEAD.value


def is_online(lifecycle: str | None, online_until: datetime | None, now: datetime) -> bool:
    """C14: a Live client whose last login or heartbeat is recent enough and who has not logged out."""
    return lifecycle == Lifecycle.LIVE.value and online_until is not None and online_until > now


def low_balance(balance: Decimal, currency: str, thresholds: dict[str, Decimal]) -> bool:
    """C15: below the threshold of the account's currency (none configured: never low)."""
    limit = thresholds.get(currency)
    return limit is not None and balance < limit
