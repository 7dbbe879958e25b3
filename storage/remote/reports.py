"""The reports' part of the remote Console (`core.reports.port.ReportsPort` over HTTP), mixed into
`storage.remote.RemoteConsole`."""

from __future__ import annotations

import re

from core.reports.models import (
    CallsReport,
    ExportFile,
    FirstCallsReport,
    FunnelReport,
    PaymentsReport,
    PeriodsReport,
    ReportChoices,
    ReportFilter,
    SalesReport,
)
from storage.remote.base import RemoteBase

_FILENAME = re.compile(r'filename="([^"]+)"')


class RemoteReports(RemoteBase):
    """The reports' operations."""

    def report_choices(self) -> ReportChoices:
        return self._get("/reports/choices", ReportChoices)

    def report_calls(self, flt: ReportFilter) -> CallsReport:
        return self._send("POST", "/reports/calls", CallsReport, flt)

    def report_first_calls(self, flt: ReportFilter) -> FirstCallsReport:
        return self._send("POST", "/reports/first-calls", FirstCallsReport, flt)

    def report_periods(self, flt: ReportFilter) -> PeriodsReport:
        return self._send("POST", "/reports/periods", PeriodsReport, flt)

    def report_funnel(self, flt: ReportFilter) -> FunnelReport:
        return self._send("POST", "/reports/funnel", FunnelReport, flt)

    def report_sales(self, flt: ReportFilter) -> SalesReport:
        return self._send("POST", "/reports/sales", SalesReport, flt)

    def report_payments(self, flt: ReportFilter) -> PaymentsReport:
        return self._send("POST", "/reports/payments", PaymentsReport, flt)

    def export_report(self, report: str, flt: ReportFilter, file_format: str, language: str = "en") -> ExportFile:
        body = {"report": report, "format": file_format, "filter": flt.model_dump(mode="json"), "lang": language}
        response = self._request("POST", "/reports/export", json=body)
        found = _FILENAME.search(response.headers.get("content-disposition", ""))
        return ExportFile(
            filename=found.group(1) if found else f"{report}.{file_format}",
            media_type=response.headers.get("content-type", "application/octet-stream"),
            content=response.content,
        )
