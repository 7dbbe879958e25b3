"""The reports of the local Console: permission, the desk rule, the period in the operator's time zone;
the figures come from the store's aggregate queries (`ReportsStore`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.calls.catalogue import catalogue
from core.errors import PermissionDenied, ValidationFailed
from core.reports import money, rules
from core.reports.models import (
    REPORT_NAMES,
    CallsReport,
    CallsRow,
    ExportFile,
    FirstCallRow,
    FirstCallsReport,
    FunnelReport,
    FunnelRow,
    PaymentsReport,
    PeriodRow,
    PeriodsReport,
    ReportChoices,
    ReportFilter,
    SalesReport,
)
from core.reports.port import CallsAggregate, DelayAggregate, ExportRecord, FunnelAggregate, ReportQuery
from core.vocab import ClientType

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.reports.port import ReportsStore

ALL = "All"  # the label of a total row (a msgid)


class ReportOperations:
    """R1-R4, R6 and R5's files for `core.console.LocalConsole` (a mixin: it brings whoami and the repo)."""

    repo: ReportsStore
    clock: Clock
    timezone: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...  # from SessionOperations

    # --- access and the filter -------------------------------------------------------------

    def _report_desks(self) -> tuple[int, ...] | None:
        me = self.whoami()
        if Permission.VIEW_REPORTS not in me.permissions:
            raise PermissionDenied("Your role may not see reports.")
        return None if Permission.ALL_DESKS in me.permissions else tuple(me.desk_ids)

    def _query(self, flt: ReportFilter) -> ReportQuery:
        desks = self._report_desks()
        if flt.desk_id is not None:
            if desks is not None and flt.desk_id not in desks:
                raise PermissionDenied("You may see the reports of your own desks only.")
            desks = (flt.desk_id,)
        if flt.channel is not None and flt.channel not in {t.value for t in ClientType}:
            raise ValidationFailed(f"Unknown channel '{flt.channel}'.", field="channel")
        lo, hi = rules.period_bounds(flt.start, flt.end, self.timezone)
        return ReportQuery(
            lo=lo,
            hi=hi,
            desk_ids=desks,
            employee_id=flt.employee_id,
            campaign_id=flt.campaign_id,
            channel=flt.channel,
            success=rules.success_set(flt.success, set(catalogue().codes)),
        )

    def report_choices(self) -> ReportChoices:
        desks, employees, campaigns = self.repo.report_choices(self._report_desks())
        return ReportChoices(
            desks=desks,
            employees=employees,
            campaigns=campaigns,
            channels=[t.value for t in ClientType],
            success_default=list(rules.DEFAULT_SUCCESS),
        )

    # --- R1 --------------------------------------------------------------------------------

    def report_calls(self, flt: ReportFilter) -> CallsReport:
        q = self._query(flt)
        found = self.repo.report_calls(q)
        total = CallsAggregate(
            None,
            ALL,
            sum(r.calls for r in found),
            sum(r.reached for r in found),
            sum(r.successful for r in found),
            sum(r.talk_total for r in found),
            sum(r.talked for r in found),
        )
        return CallsReport(
            filter=flt, success=list(q.success), rows=[_calls_row(r) for r in found], total=_calls_row(total)
        )

    def report_first_calls(self, flt: ReportFilter) -> FirstCallsReport:
        q = self._query(flt)
        found = self.repo.report_first_calls(q)
        total = found["all"][0] if found["all"] else DelayAggregate(None, ALL, 0, 0.0, 0.0)
        return FirstCallsReport(
            filter=flt,
            by_employee=[_delay_row(r) for r in found["employee"]],
            by_desk=[_delay_row(r) for r in found["desk"]],
            total=_delay_row(total).model_copy(update={"group": ALL}),
            not_called=self.repo.report_not_called(q),
        )

    # --- R2 --------------------------------------------------------------------------------

    def report_periods(self, flt: ReportFilter) -> PeriodsReport:
        q = self._query(flt)
        periods = rules.buckets(flt.start, flt.end, flt.granularity, self.timezone)
        found = self.repo.report_periods(q, periods)
        calls = {i: (n, reached) for i, n, reached in found.calls}
        new = dict(found.new_clients)
        results: dict[int, dict[str, int]] = {}
        for i, result, n in found.results:
            results.setdefault(i, {})[result] = n
        order = {code: k for k, code in enumerate(catalogue().codes)}
        seen = sorted({r for _, r, _ in found.results}, key=lambda c: (order.get(c, len(order)), c))
        rows = [
            PeriodRow(
                start=b.start,
                calls=calls.get(b.index, (0, 0))[0],
                reached=calls.get(b.index, (0, 0))[1],
                new_clients=new.get(b.index, 0),
                results=results.get(b.index, {}),
            )
            for b in periods
        ]
        return PeriodsReport(
            filter=flt, rows=rows, result_codes=seen, money=money.period_money(periods, found.money, found.trades)
        )

    # --- R6 --------------------------------------------------------------------------------

    def report_funnel(self, flt: ReportFilter) -> FunnelReport:
        q = self._query(flt)
        channels = self.repo.report_funnel(q, "channel")
        total = FunnelAggregate(  # the channels split the new clients: their sums are the whole
            None,
            ALL,
            sum(r.new for r in channels),
            sum(r.reached for r in channels),
            sum(r.agreed for r in channels),
            sum(r.product for r in channels),
        )
        return FunnelReport(
            filter=flt,
            by_channel=[_funnel_row(r) for r in channels],
            by_campaign=[_funnel_row(r) for r in self.repo.report_funnel(q, "campaign")],
            total=_funnel_row(total),
        )

    # --- R3, R4 ---------------------------------------------------------------------------

    def report_sales(self, flt: ReportFilter) -> SalesReport:
        """R3 per the client's recorded manager (the card keeps no history of managers)."""
        q = self._query(flt)
        return money.sales_report(flt, self.repo.report_sales(q, money.SALES_CLIENTS_MAX))

    def report_payments(self, flt: ReportFilter) -> PaymentsReport:
        return money.payments_report(flt, self.repo.report_payments(self._query(flt)))

    # --- R5: files -------------------------------------------------------------------------

    def export_report(self, report: str, flt: ReportFilter, file_format: str, language: str = "en") -> ExportFile:
        from core.reports import files  # openpyxl loads only when a file is asked for

        me = self.whoami()
        self._report_desks()
        if Permission.EXPORT_REPORTS not in me.permissions:
            raise PermissionDenied("Your role may not export reports.")
        if report not in REPORT_NAMES:
            raise ValidationFailed(f"Unknown report '{report}'; use one of {', '.join(REPORT_NAMES)}.", field="report")
        if file_format not in files.MEDIA_TYPES:
            raise ValidationFailed(f"Unknown file format '{file_format}'.", field="format")
        data = getattr(self, f"report_{report}")(flt)
        tables = files.tables_of(report, data)
        content = files.render(file_format, report, flt, tables, language)
        record = ExportRecord(
            at=self.clock.now(),
            employee_id=me.id or None,
            login=me.login,
            report=report,
            format=file_format,
            filters=json.dumps(flt.model_dump(mode="json", exclude_none=True), sort_keys=True),
            rows=sum(len(t.rows) for t in tables),
        )
        self.repo.record_export(record)
        name = f"{report}_{flt.start.isoformat()}_{flt.end.isoformat()}.{file_format}"
        return ExportFile(filename=name, media_type=files.MEDIA_TYPES[file_format], content=content)


def _calls_row(r: CallsAggregate) -> CallsRow:
    return CallsRow(
        employee_id=r.employee_id,
        employee=r.employee,
        calls=r.calls,
        reached=r.reached,
        successful=r.successful,
        share=rules.rate(r.successful, r.calls),
        talk_total=r.talk_total,
        talk_average=round(r.talk_total / r.talked, 1) if r.talked else 0.0,
    )


def _delay_row(r: DelayAggregate) -> FirstCallRow:
    return FirstCallRow(group_id=r.group_id, group=r.group, clients=r.clients, median=r.median, p90=r.p90)


def _funnel_row(r: FunnelAggregate) -> FunnelRow:
    return FunnelRow(
        group_id=r.group_id,
        group=r.group,
        new=r.new,
        reached=r.reached,
        agreed=r.agreed,
        product=r.product,
        reached_rate=rules.rate(r.reached, r.new),
        agreed_rate=rules.rate(r.agreed, r.reached),
        product_rate=rules.rate(r.product, r.agreed),
        overall_rate=rules.rate(r.product, r.new),
    )
