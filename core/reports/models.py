"""Shapes of the reports: the filter every report takes, and each report's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.shapes import Id, Shape

Granularity = Literal["day", "week", "month", "year"]
ReportName = Literal["calls", "first_calls", "periods", "funnel", "sales", "payments"]
FileFormat = Literal["csv", "xlsx", "html"]
REPORT_NAMES: tuple[str, ...] = ("calls", "first_calls", "periods", "funnel", "sales", "payments")
FILE_FORMATS: tuple[str, ...] = ("csv", "xlsx", "html")


class ReportFilter(Shape):
    """Every report's filter (R5). `start`..`end` are days in the operator's time zone, both included."""

    start: date
    end: date
    granularity: Granularity = "day"  # R2 only
    desk_id: Id | None = None
    employee_id: Id | None = None
    campaign_id: Id | None = None
    channel: str | None = Field(default=None, max_length=40)  # a core.vocab.ClientType value
    success: list[Annotated[str, Field(max_length=100)]] | None = Field(default=None, max_length=40)  # None: default

    @model_validator(mode="after")
    def _ordered(self) -> ReportFilter:
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")
        return self


class CallsRow(Shape):
    """R1, one employee: `share` = successful / calls; talk times in seconds."""

    employee_id: int | None
    employee: str
    calls: int
    reached: int
    successful: int
    share: float
    talk_total: int
    talk_average: float


class CallsReport(Shape):
    filter: ReportFilter
    success: list[str]
    rows: list[CallsRow]
    total: CallsRow


class FirstCallRow(Shape):
    """R1 first calls of one group: clients created in the period that were called, and the delay
    from card creation to the first call (seconds): median and 90th percentile."""

    group_id: int | None
    group: str
    clients: int
    median: float
    p90: float


class FirstCallsReport(Shape):
    filter: ReportFilter
    by_employee: list[FirstCallRow]
    by_desk: list[FirstCallRow]
    total: FirstCallRow
    not_called: int  # new clients of the period without any call yet


class PeriodRow(Shape):
    """R2, one day / week / month / year (its first day)."""

    start: date
    calls: int
    reached: int
    new_clients: int
    results: dict[str, int]


class PeriodMoneyRow(Shape):
    """R2 with trading data, one period and currency: executed deposits (bonuses included, and their
    part) and withdrawals in that currency; trades quoted in it (lots, notional in money)."""

    start: date
    currency: str
    deposits: int
    deposit_sum: Decimal
    bonus_sum: Decimal  # the part of deposit_sum credited as bonuses
    withdrawals: int
    withdrawal_sum: Decimal
    lots: Decimal
    bonus_lots: Decimal  # lots of trades flagged as bonus trades
    volume: Decimal  # lots x contract size x open price, in the quote currency
    bonus_volume: Decimal


class PeriodsReport(Shape):
    filter: ReportFilter
    rows: list[PeriodRow]
    result_codes: list[str]  # every result that occurs, in catalogue order
    money: list[PeriodMoneyRow] = []  # the periods that had money or trades, per currency


class SalesRow(Shape):
    """R3, one sales employee (the manager recorded on the client's card) and currency: executed
    deposits of the period, bonuses excluded; a first deposit is the client's first one ever."""

    employee_id: int | None
    employee: str
    currency: str
    clients: int  # clients who deposited in the period
    first_count: int
    first_sum: Decimal
    repeat_count: int
    repeat_sum: Decimal
    total_count: int
    total_sum: Decimal


class SalesClientRow(Shape):
    """R3, one client of an employee in one currency."""

    employee_id: int | None
    employee: str
    client_id: int
    client: str
    currency: str
    first_sum: Decimal  # 0 when the client's first deposit was before the period
    repeat_count: int
    repeat_sum: Decimal
    total_sum: Decimal


class SalesReport(Shape):
    filter: ReportFilter
    rows: list[SalesRow]
    totals: list[SalesRow]  # one per currency, employee "All"
    clients: list[SalesClientRow]
    clients_complete: bool  # False when the client list was cut at its limit


class PaymentRow(Shape):
    """R4, one payment system and currency: executed deposits (in) and withdrawals (out), bonuses
    excluded; each share is of the currency's whole (0..1, 4 places)."""

    system: str
    currency: str
    deposits: int
    deposit_sum: Decimal
    withdrawals: int
    withdrawal_sum: Decimal
    deposit_share: Decimal
    withdrawal_share: Decimal


class PaymentsReport(Shape):
    filter: ReportFilter
    rows: list[PaymentRow]
    totals: list[PaymentRow]  # one per currency, system "All"


class FunnelRow(Shape):
    """R6, one channel or campaign: each step counts the clients who passed every step before it."""

    group_id: int | None
    group: str
    new: int
    reached: int
    agreed: int
    product: int
    reached_rate: float  # of new
    agreed_rate: float  # of reached
    product_rate: float  # of agreed
    overall_rate: float  # product of new


class FunnelReport(Shape):
    filter: ReportFilter
    by_channel: list[FunnelRow]
    by_campaign: list[FunnelRow]
    total: FunnelRow


class Choice(Shape):
    id: int
    name: str


class ReportChoices(Shape):
    """What the filters may pick for this employee: desks they see, employees, campaigns, channels."""

    desks: list[Choice]
    employees: list[Choice]
    campaigns: list[Choice]
    channels: list[str]
    success_default: list[str]


class ExportFile(Shape):
    filename: str
    media_type: str
    content: bytes
