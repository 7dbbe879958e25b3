"""The Console port: every operation the console needs, the union of the areas' ports.

The local service (`core.console.LocalConsole`), the HTTP API serving it and the remote
client (`storage.remote`) all speak this protocol; the TUI never knows which one it has.
Each area declares its part beside its rules: `core.<area>.port`.
"""

from __future__ import annotations

from typing import Protocol

from core.access.port import AccessPort
from core.admin.port import AdminPort
from core.assign.port import AssignPort
from core.automation.port import AutomationPort
from core.calls.campaigns import CampaignsPort
from core.calls.port import CallsPort
from core.clients.port import ClientsPort
from core.custody.port import CustodyPort
from core.delivery.port import DeliveryPort
from core.floor.port import FloorPort
from core.imports.port import ImportsPort
from core.jobs.port import JobsPort
from core.mywork.port import MyWorkPort
from core.offices.port import OfficesPort
from core.reports.port import ReportsPort
from core.tasks.port import TasksPort
from core.trading.port import TradingPort
from core.work.port import WorkPort


class Console(
    AccessPort,
    ClientsPort,
    CallsPort,
    OfficesPort,
    ReportsPort,
    CustodyPort,
    TradingPort,
    WorkPort,
    TasksPort,
    MyWorkPort,
    AssignPort,
    JobsPort,
    AdminPort,
    ImportsPort,
    CampaignsPort,
    AutomationPort,
    FloorPort,
    DeliveryPort,
    Protocol,
):
    """What the TUI, the CLI and the API hold: one object serving every area."""
