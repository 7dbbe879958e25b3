"""The reports' ports: `ReportsPort` is what the console offers (part of `core.port.Console`),
`ReportsStore` what the reports need from a store (aggregates computed there, never rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from core.reports.models import (
    CallsReport,
    Choice,
    ExportFile,
    FirstCallsReport,
    FunnelReport,
    PaymentsReport,
    PeriodsReport,
    ReportChoices,
    ReportFilter,
    SalesReport,
)
from core.reports.rules import AGREED, UNREACHED, Bucket


class ReportsPort(Protocol):
    def report_choices(self) -> ReportChoices: ...
    def report_calls(self, flt: ReportFilter) -> CallsReport: ...
    def report_first_calls(self, flt: ReportFilter) -> FirstCallsReport: ...
    def report_periods(self, flt: ReportFilter) -> PeriodsReport: ...
    def report_funnel(self, flt: ReportFilter) -> FunnelReport: ...
    def report_sales(self, flt: ReportFilter) -> SalesReport: ...
    def report_payments(self, flt: ReportFilter) -> PaymentsReport: ...
    def export_report(self, report: str, flt: ReportFilter, file_format: str, language: str = "en") -> ExportFile:
        """R5: the report as a CSV, XLSX or HTML file, its titles in `language` (en, ru); needs the
        export permission and is audited."""
        ...


@dataclass(frozen=True)
class ReportQuery:
    """A filter resolved for the store: UTC bounds, the desks the employee may see (None: all)."""

    lo: datetime
    hi: datetime
    desk_ids: tuple[int, ...] | None
    employee_id: int | None = None
    campaign_id: int | None = None
    channel: str | None = None
    success: tuple[str, ...] = ()
    unreached: tuple[str, ...] = UNREACHED
    agreed: tuple[str, ...] = AGREED


@dataclass(frozen=True)
class CallsAggregate:
    employee_id: int | None
    employee: str
    calls: int
    reached: int
    successful: int
    talk_total: int  # seconds over the calls with an end time
    talked: int  # calls with an end time


@dataclass(frozen=True)
class DelayAggregate:
    group_id: int | None
    group: str
    clients: int
    median: float
    p90: float


@dataclass(frozen=True)
class MoneyAggregate:
    """Executed money requests of one period (bucket) and currency; sums in exact Decimal."""

    bucket: int
    currency: str
    deposits: int
    deposit_sum: Decimal
    bonus_sum: Decimal
    withdrawals: int
    withdrawal_sum: Decimal


@dataclass(frozen=True)
class TradeAggregate:
    """Trades opened in one period, quoted in one currency."""

    bucket: int
    currency: str
    lots: Decimal
    bonus_lots: Decimal
    volume: Decimal
    bonus_volume: Decimal


@dataclass(frozen=True)
class PeriodAggregates:
    calls: list[tuple[int, int, int]]  # (bucket, calls, reached)
    results: list[tuple[int, str, int]]  # (bucket, result, calls)
    new_clients: list[tuple[int, int]]  # (bucket, clients)
    money: list[MoneyAggregate] = field(default_factory=list)
    trades: list[TradeAggregate] = field(default_factory=list)


@dataclass(frozen=True)
class SalesAggregate:
    """Deposits of one employee (None: no manager) in one currency; with a client: that client's."""

    employee_id: int | None
    employee: str
    currency: str
    clients: int
    first_count: int
    first_sum: Decimal
    repeat_count: int
    repeat_sum: Decimal
    client_id: int | None = None
    client: str = ""


@dataclass(frozen=True)
class SalesAggregates:
    by_employee: list[SalesAggregate]
    by_client: list[SalesAggregate]  # the `limit` largest
    totals: list[SalesAggregate]  # per currency
    complete: bool = True  # False: more clients than `limit` deposited


@dataclass(frozen=True)
class PaymentAggregate:
    system: str
    currency: str
    deposits: int
    deposit_sum: Decimal
    withdrawals: int
    withdrawal_sum: Decimal


@dataclass(frozen=True)
class FunnelAggregate:
    group_id: int | None
    group: str
    new: int
    reached: int
    agreed: int
    product: int


@dataclass(frozen=True)
class ExportRecord:
    at: datetime
    employee_id: int | None
    login: str
    report: str
    format: str
    filters: str
    rows: int


class ReportsStore(Protocol):
    def report_calls(self, q: ReportQuery) -> list[CallsAggregate]: ...
    def report_first_calls(self, q: ReportQuery) -> dict[str, list[DelayAggregate]]:
        """Keys "employee" (who made the first call), "desk" (the client's), "all" (one row or none)."""
        ...

    def report_not_called(self, q: ReportQuery) -> int: ...
    def report_periods(self, q: ReportQuery, buckets: list[Bucket]) -> PeriodAggregates: ...
    def report_funnel(self, q: ReportQuery, by: str) -> list[FunnelAggregate]:
        """`by`: "channel" (client type) or "campaign" (list membership, that campaign's calls)."""
        ...

    def report_sales(self, q: ReportQuery, limit: int) -> SalesAggregates:
        """R3: per manager and currency, per client (the largest first, up to `limit`), per currency."""
        ...

    def report_payments(self, q: ReportQuery) -> list[PaymentAggregate]: ...

    def report_choices(self, desk_ids: tuple[int, ...] | None) -> tuple[list[Choice], list[Choice], list[Choice]]:
        """(desks, employees, campaigns) within the desks."""
        ...

    def record_export(self, record: ExportRecord) -> None: ...
