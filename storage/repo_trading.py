"""The broker's store (`core.trading.store.TradingStore`): events with their effect in one transaction,
the card's trading tab, the money-request queue (`storage.repo_money`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.automation.rules import Event as RuleEvent
from core.automation.rules import Trigger
from core.clock import as_utc
from core.trading.models import EventKind, Money, PlatformEvent, Trade, TradingAccount
from core.trading.rules import AccountState, EventEffect, EventState
from core.trading.store import PulseRow, TradingData
from core.vocab import ContactKind
from storage.automation_events import emit
from storage.engine import read, write
from storage.repo_money import BUMP, REQUESTS_OF_CLIENT, MoneyQueries, R, money_request
from storage.tables import ClientRow, ContactRow
from storage.tables_trading import PlatformEventRow, TradeRow, TradingAccountRow

K = ClientRow.__table__  # type: ignore[attr-defined]
EV = PlatformEventRow.__table__  # type: ignore[attr-defined]
A = TradingAccountRow.__table__  # type: ignore[attr-defined]
T = TradeRow.__table__  # type: ignore[attr-defined]
H = ContactRow.__table__  # type: ignore[attr-defined]

# the event's id claimed first: a replay (or a concurrent twin) inserts nothing and stops there
CLAIM = {
    "sqlite": sqlite.insert(EV).on_conflict_do_nothing(index_elements=["id"]).returning(EV.c.id),
    "postgresql": postgresql.insert(EV).on_conflict_do_nothing(index_elements=["id"]).returning(EV.c.id),
}
TRADE_INSERT = {
    "sqlite": sqlite.insert(T).on_conflict_do_nothing(index_elements=["ticket"]),
    "postgresql": postgresql.insert(T).on_conflict_do_nothing(index_elements=["ticket"]),
}
HISTORY_INSERT = insert(H)
ACCOUNT_INSERT = insert(A)
REQUEST_INSERT = insert(R)
SET_OUTCOME = update(EV).where(EV.c.id == bindparam("event_id")).values(outcome=bindparam("b_outcome"))
CLIENT_STATE = select(K.c.lifecycle, K.c.last_seen_at).where(K.c.id == bindparam("id"))
ACCOUNT_BY_NUMBER = select(A.c.id, A.c.client_id, A.c.currency, A.c.balance).where(A.c.number == bindparam("number"))
SET_LIFECYCLE = (
    update(K)
    .where(K.c.id == bindparam("client_id"))
    .values(lifecycle=bindparam("b_lifecycle"), live_version=K.c.live_version + 1)
)
PULSE = select(K.c.id, K.c.desk_id, K.c.live_version, K.c.lifecycle, K.c.online_until).where(
    K.c.id.in_(bindparam("ids", expanding=True))
)
QUEUE_TOKEN = select(func.count(), func.max(R.c.id)).where(R.c.status == "pending")  # ix_money_request_status_created
QUEUE_TOKEN_OF_DESKS = QUEUE_TOKEN.join_from(R, K, K.c.id == R.c.client_id).where(
    K.c.desk_id.in_(bindparam("desks", expanding=True))
)  # S4: only the reader's desks' requests move their token
SET_PRESENCE = (
    update(K)
    .where(K.c.id == bindparam("client_id"))
    .values(last_seen_at=bindparam("seen"), online_until=bindparam("until"))
)
SNAPSHOT = (
    update(A)
    .where(A.c.id == bindparam("account_id"))
    .values(
        balance=func.coalesce(bindparam("b_balance", type_=A.c.balance.type), A.c.balance),
        equity=func.coalesce(bindparam("b_equity", type_=A.c.equity.type), A.c.equity),
        margin=func.coalesce(bindparam("b_margin", type_=A.c.margin.type), A.c.margin),
        margin_level=bindparam("b_margin_level", type_=A.c.margin_level.type),
        updated_at=bindparam("at"),
    )
)
MOVE = (
    update(A)
    .where(A.c.id == bindparam("account_id"))
    .values(
        balance=A.c.balance + bindparam("delta", type_=A.c.balance.type),
        equity=A.c.equity + bindparam("delta", type_=A.c.balance.type),
        updated_at=bindparam("at"),
    )
)
CLOSE_TRADE = (
    update(T)
    .where(T.c.ticket == bindparam("b_ticket"), T.c.account_id == bindparam("b_account"), T.c.closed_at.is_(None))
    .values(close_price=bindparam("price"), closed_at=bindparam("at"), profit=bindparam("b_profit"))
)
CARD_CLIENT = select(K.c.desk_id, K.c.lifecycle, K.c.online_until).where(K.c.id == bindparam("id"))
_OPEN = (
    select(T.c.account_id, func.count().label("n")).where(T.c.closed_at.is_(None)).group_by(T.c.account_id).subquery()
)
ACCOUNTS = (
    select(A, func.coalesce(_OPEN.c.n, 0).label("open_positions"))
    .outerjoin(_OPEN, _OPEN.c.account_id == A.c.id)
    .where(A.c.client_id == bindparam("id"))
    .order_by(A.c.demo, A.c.id)
)
ACCOUNT_OWNER = select(A.c.client_id, K.c.desk_id).join(K, K.c.id == A.c.client_id).where(A.c.id == bindparam("id"))
_TRADES = select(T).where(T.c.account_id == bindparam("id"))
TRADES = _TRADES.order_by(T.c.opened_at.desc(), T.c.id.desc()).limit(bindparam("limit")).offset(bindparam("offset"))
OPEN_TRADES = (
    _TRADES.where(T.c.closed_at.is_(None))
    .order_by(T.c.opened_at.desc(), T.c.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
TRADE_COUNT = select(func.count()).select_from(T).where(T.c.account_id == bindparam("id"))
OPEN_COUNT = TRADE_COUNT.where(T.c.closed_at.is_(None))


# SQLite has one writer: events queue here in-process rather than in SQLite's busy handler, whose
# growing sleeps put seconds on the tail when 16 API threads wait for the lock at once.
_SQLITE_WRITER = threading.Lock()


class TradingQueries(MoneyQueries):
    engine: Engine

    def apply_event(
        self, event: PlatformEvent, decide: Callable[[EventState], EventEffect], received_at: datetime
    ) -> EventEffect | None:
        serial = _SQLITE_WRITER if self.engine.dialect.name == "sqlite" else nullcontext()
        with serial, write(self.engine) as conn:
            claim = {"id": event.id, "kind": event.kind.value, "at": event.at, "received_at": received_at}
            claim |= {"client_id": event.client_id, "outcome": "applied"}
            if conn.execute(CLAIM[self.engine.dialect.name], claim).first() is None:
                return None
            client = conn.execute(CLIENT_STATE, {"id": event.client_id}).first()
            account = conn.execute(ACCOUNT_BY_NUMBER, {"number": event.account}).first() if event.account else None
            state = EventState(
                client_found=client is not None,
                lifecycle=client.lifecycle if client else None,
                last_seen_at=as_utc(client.last_seen_at) if client and client.last_seen_at else None,
                account=AccountState(account.id, account.client_id, account.currency, account.balance)
                if account
                else None,
            )
            effect = decide(state)
            if effect.outcome == "applied":
                _write_effect(conn, event, effect, account.id if account else None)
                emit(conn, received_at, _rule_events(event, effect))
            else:
                conn.execute(SET_OUTCOME, {"event_id": event.id, "b_outcome": effect.outcome})
            return effect

    def trading_data(self, client_id: int, request_limit: int) -> TradingData | None:
        with read(self.engine) as conn:
            client = conn.execute(CARD_CLIENT, {"id": client_id}).first()
            if client is None:
                return None
            accounts = [_account(r) for r in conn.execute(ACCOUNTS, {"id": client_id})]
            requests = [
                money_request(r) for r in conn.execute(REQUESTS_OF_CLIENT, {"id": client_id, "limit": request_limit})
            ]
        return TradingData(
            client_id=client_id,
            desk_id=client.desk_id,
            lifecycle=client.lifecycle,
            online_until=as_utc(client.online_until) if client.online_until else None,
            accounts=accounts,
            requests=requests,
        )

    def pulse(
        self, client_ids: list[int], queue: bool, desk_ids: list[int] | None
    ) -> tuple[list[PulseRow], str | None]:
        with read(self.engine) as conn:
            rows = conn.execute(PULSE, {"ids": client_ids}).all() if client_ids else []
            token = None
            if queue and desk_ids is not None and not desk_ids:
                token = "0.0"  # no desk: no request of anybody's moves it
            elif queue:
                query = QUEUE_TOKEN if desk_ids is None else QUEUE_TOKEN_OF_DESKS
                count, newest = conn.execute(query, {"desks": desk_ids}).one()
                token = f"{count}.{newest or 0}"
        pulses = [
            PulseRow(r.id, r.desk_id, r.live_version, r.lifecycle, as_utc(r.online_until) if r.online_until else None)
            for r in rows
        ]
        return pulses, token

    def trade_page(
        self, account_id: int, offset: int, limit: int, open_only: bool
    ) -> tuple[int | None, int | None, list[Trade], int]:
        with read(self.engine) as conn:
            owner = conn.execute(ACCOUNT_OWNER, {"id": account_id}).first()
            if owner is None:
                return None, None, [], 0
            currency = conn.execute(select(A.c.currency).where(A.c.id == account_id)).scalar_one()
            page = {"id": account_id, "limit": limit, "offset": offset}
            rows = conn.execute(OPEN_TRADES if open_only else TRADES, page)
            trades = [_trade(r, currency) for r in rows]
            total = conn.execute(OPEN_COUNT if open_only else TRADE_COUNT, {"id": account_id}).scalar_one()
        return owner.client_id, owner.desk_id, trades, total


def _write_effect(conn: Connection, event: PlatformEvent, effect: EventEffect, account_id: int | None) -> None:
    at = event.at
    if effect.lifecycle is not None:  # raises the live version too
        conn.execute(SET_LIFECYCLE, {"client_id": event.client_id, "b_lifecycle": effect.lifecycle})
        entry = {"client_id": event.client_id, "kind": ContactKind.STATUS.value, "at": at}
        entry |= {"result": effect.lifecycle, "reason": effect.old_lifecycle}
        conn.execute(HISTORY_INSERT, entry | {"comment": f"{effect.old_lifecycle} -> {effect.lifecycle}"})
    elif effect.open_account or effect.snapshot or effect.request_status is not None or effect.trade is not None:
        conn.execute(BUMP, {"client_id": event.client_id})  # the card's accounts or requests changed
    if effect.seen_at is not None:
        until = None if effect.offline else effect.online_until
        conn.execute(SET_PRESENCE, {"client_id": event.client_id, "seen": effect.seen_at, "until": until})
    if effect.open_account:
        values = {
            "client_id": event.client_id,
            "number": event.account,
            "demo": event.demo,
            "currency": event.currency,
            "balance": event.balance or Decimal(0),
            "equity": event.equity if event.equity is not None else event.balance or Decimal(0),
            "margin": event.margin or Decimal(0),
            "margin_level": event.margin_level,
            "opened_at": at,
            "updated_at": at,
        }
        account_id = conn.execute(ACCOUNT_INSERT, values).inserted_primary_key[0]
    if effect.snapshot and not effect.open_account:
        values = {"b_balance": event.balance, "b_equity": event.equity, "b_margin": event.margin}
        conn.execute(SNAPSHOT, {"account_id": account_id, "b_margin_level": event.margin_level, "at": at, **values})
    if effect.request_status is not None:
        _money_event(conn, event, effect, account_id)
    if effect.trade == "open":
        trade = {"account_id": account_id, "ticket": event.ticket, "symbol": event.symbol, "side": event.side}
        trade |= {"volume": event.volume, "open_price": event.price, "opened_at": at, "bonus": event.bonus}
        conn.execute(TRADE_INSERT[conn.dialect.name], trade)
    elif effect.trade == "close":
        closing = {"b_ticket": event.ticket, "b_account": account_id, "price": event.price, "at": at}
        if not conn.execute(CLOSE_TRADE, {**closing, "b_profit": event.profit}).rowcount:
            # closed before its opening arrived (out of order): the trade as the close tells it
            trade = {"account_id": account_id, "ticket": event.ticket, "symbol": event.symbol or "?"}
            trade |= {"side": event.side or "?", "volume": event.volume or Decimal(0), "open_price": event.price}
            trade |= {"opened_at": at, "closed_at": at, "close_price": event.price, "profit": event.profit}
            conn.execute(TRADE_INSERT[conn.dialect.name], trade)
        conn.execute(MOVE, {"account_id": account_id, "delta": event.profit, "at": at})


def _rule_events(event: PlatformEvent, effect: EventEffect) -> list[RuleEvent]:
    """M8: the lifecycle change and the executed deposit of a platform event, for the automation rules."""
    out = []
    key = f"event:{event.id}"
    if effect.lifecycle is not None:
        out.append(RuleEvent(Trigger.LIFECYCLE, event.client_id, key, event.at, effect.lifecycle))
    if event.kind == EventKind.DEPOSIT and effect.request_status == "executed" and event.amount is not None:
        out.append(RuleEvent(Trigger.DEPOSIT, event.client_id, key, event.at, amount=event.amount,
                             currency=event.currency))  # fmt: skip
    return out


def _money_event(conn: Connection, event: PlatformEvent, effect: EventEffect, account_id: int | None) -> None:
    decided = None if effect.request_status == "pending" else event.at
    request = {"client_id": event.client_id, "account_id": account_id, "event_id": event.id}
    request |= {"kind": "deposit" if event.kind == EventKind.DEPOSIT else "withdrawal"}
    request |= {"payment_system": event.payment_system, "amount": event.amount, "currency": event.currency}
    request |= {"manual": event.manual, "status": effect.request_status, "reason": effect.detail or None}
    request["bonus"] = event.bonus
    conn.execute(REQUEST_INSERT, request | {"created_at": event.at, "decided_at": decided})
    if effect.balance_delta is not None:
        conn.execute(MOVE, {"account_id": account_id, "delta": effect.balance_delta, "at": event.at})


def _account(r) -> TradingAccount:  # type: ignore[no-untyped-def]
    return TradingAccount(
        id=r.id,
        number=r.number,
        demo=r.demo,
        currency=r.currency,
        balance=Money(amount=r.balance, currency=r.currency),
        equity=Money(amount=r.equity, currency=r.currency),
        margin=Money(amount=r.margin, currency=r.currency),
        margin_level=r.margin_level,
        open_positions=r.open_positions,
        updated_at=as_utc(r.updated_at),
    )


def _trade(r, currency: str) -> Trade:  # type: ignore[no-untyped-def]
    return Trade(
        id=r.id,
        ticket=r.ticket,
        symbol=r.symbol,
        side=r.side,
        volume=r.volume,
        open_price=r.open_price,
        close_price=r.close_price,
        opened_at=as_utc(r.opened_at),
        closed_at=as_utc(r.closed_at) if r.closed_at else None,
        profit=Money(amount=r.profit, currency=currency) if r.profit is not None else None,
    )
