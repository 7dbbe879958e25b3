"""Reports (R1-R6): each report for a filter, the filters' choices, and report files.

Every route needs the reports permission (403 otherwise); the desk rule applies on the server; a
file needs the export permission and is written to the export audit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import SignedInConsole
from api.errors import responses
from core.language import language_of
from core.reports.files import MEDIA_TYPES
from core.reports.models import (
    CallsReport,
    FirstCallsReport,
    FunnelReport,
    PaymentsReport,
    PeriodsReport,
    ReportChoices,
    ReportFilter,
    ReportName,
    SalesReport,
)

router = APIRouter(prefix="/reports", tags=["reports"], responses=responses(403))


class ExportRequest(BaseModel):
    model_config = {"extra": "forbid"}
    report: ReportName
    format: Literal["csv", "xlsx", "html"]
    filter: ReportFilter
    lang: Literal["en", "ru"] | None = None  # the file's titles; without it, Accept-Language


@router.get("/choices", response_model=ReportChoices)
def choices(console: SignedInConsole) -> ReportChoices:
    """Desks (only the employee's own without the all-desks permission), employees, campaigns, channels."""
    return console.report_choices()


@router.post("/calls", response_model=CallsReport)
def calls(flt: ReportFilter, console: SignedInConsole) -> CallsReport:
    """R1: per employee calls, reached, successful and their share, average and total talk time."""
    return console.report_calls(flt)


@router.post("/first-calls", response_model=FirstCallsReport)
def first_calls(flt: ReportFilter, console: SignedInConsole) -> FirstCallsReport:
    """R1: time from card creation to the first call, median and 90th percentile per employee and desk."""
    return console.report_first_calls(flt)


@router.post("/periods", response_model=PeriodsReport)
def periods(flt: ReportFilter, console: SignedInConsole) -> PeriodsReport:
    """R2: calls, reached, results by kind, new clients, and money and trades per day, week (from
    Monday), month or year."""
    return console.report_periods(flt)


@router.post("/funnel", response_model=FunnelReport)
def funnel(flt: ReportFilter, console: SignedInConsole) -> FunnelReport:
    """R6: new clients, reached, agreed or visited, product; by channel and by campaign."""
    return console.report_funnel(flt)


@router.post("/sales", response_model=SalesReport)
def sales(flt: ReportFilter, console: SignedInConsole) -> SalesReport:
    """R3: per manager of the client and currency, first and repeat executed deposits; per client."""
    return console.report_sales(flt)


@router.post("/payments", response_model=PaymentsReport)
def payments(flt: ReportFilter, console: SignedInConsole) -> PaymentsReport:
    """R4: per payment system and currency, executed deposits and withdrawals, each one's share."""
    return console.report_payments(flt)


@router.post(
    "/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}, "description": "The file."}},
)
def export(
    body: ExportRequest, console: SignedInConsole, accept_language: Annotated[str | None, Header(max_length=200)] = None
) -> Response:
    """R5: the report as a file (CSV, XLSX with typed cells, printable HTML), its titles in `lang` or
    the Accept-Language (English by default); audited."""
    language = body.lang or language_of(accept_language)
    file = console.export_report(body.report, body.filter, body.format, language)
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
