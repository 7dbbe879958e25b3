"""The repository port: what the core services need from a store, the union of the areas' stores.

`storage.sql_repository.SqlRepository` implements it over SQLite or PostgreSQL. Every method
that writes does so in one transaction: all of it or nothing.
"""

from __future__ import annotations

from typing import Protocol

from core.access.store import AccessStore
from core.admin.store import AdminStore
from core.assign.store import AssignStore
from core.automation.store import AutomationStore
from core.calls.campaigns import CampaignsStore
from core.calls.store import CallsStore
from core.clients.store import ClientsStore
from core.custody.store import CustodyStore
from core.delivery.store import DeliveryStore
from core.floor.store import FloorStore
from core.imports.store import ImportsStore
from core.jobs.store import JobsStore
from core.mywork.store import MyWorkStore
from core.offices.store import OfficesStore
from core.reports.port import ReportsStore
from core.tasks.store import TasksStore
from core.trading.store import TradingStore
from core.work.store import WorkStore


class Repository(
    AccessStore,
    ClientsStore,
    CallsStore,
    OfficesStore,
    ReportsStore,
    CustodyStore,
    TradingStore,
    WorkStore,
    JobsStore,
    TasksStore,
    MyWorkStore,
    AssignStore,
    AdminStore,
    ImportsStore,
    CampaignsStore,
    AutomationStore,
    DeliveryStore,
    FloorStore,
    Protocol,
):
    """One store serving every area."""
