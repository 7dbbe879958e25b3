"""The local Console: the areas' operations over one repository, acting as one signed-in employee."""

from __future__ import annotations

from core.access.models import EmployeeInfo
from core.access.session import LOCAL_ADDRESS, SessionOperations
from core.admin.operations import AdminOperations
from core.assign.operations import AssignOperations
from core.automation.operations import AutomationOperations
from core.calls.campaigns import CampaignOperations
from core.calls.operations import CallOperations
from core.clients.duplicates import PossibleDuplicate
from core.clients.operations import ClientOperations
from core.clock import Clock, SystemClock
from core.custody.operations import CustodyOperations
from core.delivery.operations import DeliveryOperations
from core.floor.operations import FloorOperations
from core.imports.export import ExportOperations
from core.imports.operations import ImportOperations
from core.jobs.operations import JobOperations
from core.mywork.operations import MyWorkOperations
from core.offices.operations import OfficeOperations
from core.reports.operations import ReportOperations
from core.repository import Repository
from core.tasks.operations import TaskOperations
from core.trading.operations import TradingOperations
from core.work.operations import WorkOperations

__all__ = ["LocalConsole", "PossibleDuplicate"]  # PossibleDuplicate is core.clients.duplicates'; kept importable here


class LocalConsole(
    SessionOperations,
    ClientOperations,
    CallOperations,
    OfficeOperations,
    ReportOperations,
    CustodyOperations,
    TradingOperations,
    WorkOperations,
    TaskOperations,
    MyWorkOperations,
    AssignOperations,
    JobOperations,
    AdminOperations,
    ImportOperations,
    CampaignOperations,
    ExportOperations,
    AutomationOperations,
    FloorOperations,
    DeliveryOperations,
):
    """Implements `core.port.Console` in-process."""

    def __init__(
        self, repo: Repository, clock: Clock | None = None, phone_region: str = "RU", address: str = LOCAL_ADDRESS
    ) -> None:
        self.repo = repo
        self.clock = clock or SystemClock()
        self.phone_region = phone_region
        self.address = address  # where sign-in attempts come from (core.access.throttle)
        self._me: EmployeeInfo | None = None
