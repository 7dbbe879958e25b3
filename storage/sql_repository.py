"""`core.repository.Repository` over SQLAlchemy: SQLite (embedded) or PostgreSQL (a team)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from storage.repo_admin import AdminQueries
from storage.repo_api import ApiQueries
from storage.repo_assign import AssignQueries
from storage.repo_automation import AutomationQueries
from storage.repo_cabinet import CabinetQueries
from storage.repo_calls import CallQueries
from storage.repo_campaigns import CampaignQueries
from storage.repo_clients import ClientQueries
from storage.repo_custody import CustodyQueries
from storage.repo_delivery import DeliveryQueries
from storage.repo_floor import FloorQueries
from storage.repo_guard import GuardQueries
from storage.repo_imports import ImportQueries
from storage.repo_jobs import JobQueries
from storage.repo_mywork import MyWorkQueries
from storage.repo_offices import OfficeQueries
from storage.repo_people import PeopleQueries
from storage.repo_report_money import ReportMoneyQueries
from storage.repo_reports import ReportQueries
from storage.repo_search import SearchQueries
from storage.repo_tasks import TaskQueries
from storage.repo_trading import TradingQueries
from storage.repo_work import WorkQueries
from storage.repo_zones import ZoneQueries


class SqlRepository(
    PeopleQueries,
    SearchQueries,
    ClientQueries,
    ApiQueries,
    CallQueries,
    GuardQueries,
    ReportQueries,
    ReportMoneyQueries,
    CustodyQueries,
    TradingQueries,
    WorkQueries,
    JobQueries,
    TaskQueries,
    MyWorkQueries,
    AssignQueries,
    OfficeQueries,
    AdminQueries,
    ImportQueries,
    CampaignQueries,
    AutomationQueries,
    DeliveryQueries,
    CabinetQueries,
    FloorQueries,
    ZoneQueries,
):
    def __init__(self, engine: Engine, secret_file: str | Path | None = None) -> None:
        """`secret_file`: the server secret of code digests (default: the `secret_file` setting)."""
        self.engine = engine
        self.secret_file = secret_file
        self._code_key = None
