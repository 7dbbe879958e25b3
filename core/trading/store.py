"""What the broker's side needs from a store (`storage.repo_trading`): each method one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from core.outbox import NewEmail, NewSms
from core.trading.cabinet import CabinetFacts
from core.trading.models import MoneyRequest, PlatformEvent, Trade, TradingAccount
from core.trading.rules import EventEffect, EventState


@dataclass(frozen=True)
class TradingData:
    client_id: int
    desk_id: int | None
    lifecycle: str
    online_until: datetime | None
    accounts: list[TradingAccount]
    requests: list[MoneyRequest]


@dataclass(frozen=True)
class RequestFacts:
    """A money request as its decision needs it: the client's desk, language, name and mobile."""

    id: int
    status: str
    kind: str
    amount: Decimal
    currency: str
    account_id: int | None
    client_id: int
    desk_id: int | None
    language: str
    first_name: str
    mobile: str | None
    email: str | None = None


@dataclass(frozen=True)
class DecisionPlan:
    """What a decision writes: the new status, its reason, the notices to the client (or none;
    dropped when an executed withdrawal fails for want of funds)."""

    status: str
    reason: str | None
    employee_id: int | None
    at: datetime
    notice: NewSms | None = None
    email: NewEmail | None = None


@dataclass(frozen=True)
class PulseRow:
    id: int
    desk_id: int | None
    version: int
    lifecycle: str
    online_until: datetime | None


class TradingStore(Protocol):
    def apply_event(
        self, event: PlatformEvent, decide: Callable[[EventState], EventEffect], received_at: datetime
    ) -> EventEffect | None:
        """The event's id claimed and its effect written in one transaction; None: the id was seen before."""
        ...

    def trading_data(self, client_id: int, request_limit: int) -> TradingData | None: ...
    def trade_page(
        self, account_id: int, offset: int, limit: int, open_only: bool
    ) -> tuple[int | None, int | None, list[Trade], int]:
        """(client_id, desk_id, trades newest first, total); client None: no such account."""
        ...

    def money_requests(self, status: str | None, desk_ids: list[int] | None, limit: int) -> list[MoneyRequest]: ...
    def decide_request(
        self, request_id: int, plan: Callable[[RequestFacts], DecisionPlan]
    ) -> tuple[str, MoneyRequest | None]:
        """One conditional UPDATE on the status (pending -> the plan's); ("ok"|"stale"|"not_found", request).
        An executed withdrawal the balance cannot cover becomes failed (insufficient funds)."""
        ...

    def cabinet_facts(self, client_id: int) -> CabinetFacts | None: ...
    def record_cabinet(self, client_id: int, login: str, email: NewEmail, now: datetime) -> bool:
        """In one transaction: the client's cabinet login (False, nothing written, when it has one),
        the credentials e-mail, a history entry."""
        ...

    def pulse(
        self, client_ids: list[int], queue: bool, desk_ids: list[int] | None
    ) -> tuple[list[PulseRow], str | None]:
        """The clients by id (one read, by the primary key) and, if asked, the token (count, newest
        id) of the pending requests of clients of `desk_ids` (None: every desk)."""
        ...
