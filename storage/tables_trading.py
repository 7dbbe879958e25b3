"""The broker's tables (C13-C15, M3, I4). Money columns are Numeric, never float."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Numeric
from sqlmodel import Field, SQLModel

MONEY = Numeric(18, 2)
PRICE = Numeric(18, 5)


class PlatformEventRow(SQLModel, table=True):
    """Every event received, by the platform's id: claimed in the transaction of its effect, so a
    replay finds it and does nothing."""

    __tablename__ = "platform_event"
    id: str = Field(primary_key=True, max_length=100)
    kind: str = Field(max_length=20)
    at: datetime
    received_at: datetime
    client_id: int | None = Field(default=None, index=True)  # no foreign key: an unknown client is recorded too
    outcome: str = Field(max_length=20)


class TradingAccountRow(SQLModel, table=True):
    __tablename__ = "trading_account"
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    number: str = Field(unique=True, max_length=40)
    demo: bool = False
    currency: str = Field(max_length=3)
    balance: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    equity: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    margin: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    margin_level: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    opened_at: datetime
    updated_at: datetime


class TradeRow(SQLModel, table=True):
    __tablename__ = "trade"
    __table_args__ = (
        Index("ix_trade_account_opened", "account_id", "opened_at"),
        Index("ix_trade_opened", "opened_at"),  # R2: a period's trades
    )
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="trading_account.id")
    ticket: str = Field(unique=True, max_length=40)
    symbol: str = Field(max_length=20)
    side: str = Field(max_length=4)
    volume: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    open_price: Decimal = Field(sa_column=Column(PRICE, nullable=False))
    close_price: Decimal | None = Field(default=None, sa_column=Column(PRICE))
    opened_at: datetime
    closed_at: datetime | None = None
    profit: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    bonus: bool = False  # traded on bonus money


class MoneyRequestRow(SQLModel, table=True):
    """M3: a deposit or withdrawal; `status` changes once from pending, by one conditional UPDATE."""

    __tablename__ = "money_request"
    __table_args__ = (
        Index("ix_money_request_status_created", "status", "created_at"),
        Index("ix_money_request_client", "client_id", "created_at"),
        # reports: a period's executed requests; a client's first deposit by one index probe
        Index("ix_money_request_decided", "status", "decided_at"),
        Index("ix_money_request_first", "client_id", "kind", "status", "decided_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    account_id: int | None = Field(default=None, foreign_key="trading_account.id")
    event_id: str | None = Field(default=None, max_length=100, unique=True)
    kind: str = Field(max_length=12)  # deposit | withdrawal
    payment_system: str = Field(max_length=60)
    amount: Decimal = Field(sa_column=Column(MONEY, nullable=False))
    currency: str = Field(max_length=3)
    manual: bool = False
    bonus: bool = False  # credited by the broker as a bonus, not the client's money
    status: str = Field(max_length=12)  # core.trading.models.RequestStatus
    reason: str | None = Field(default=None, max_length=500)
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="employee.id")
