"""The Console port: every operation the console needs, the union of the areas' ports.

The local service (`core.console.LocalConsole`), the HTTP API serving it and the remote
client (`storage.remote`) all speak this protocol; the TUI never knows which one it has.
Each area declares its part beside its rules: `core.<area>.port`.
"""

from __future__ import annotations

from typing import Protocol

from core.access.port import AccessPort
from core.calls.campaigns import CampaignsPort
from core.calls.port import CallsPort
from core.clients.port import ClientsPort
from core.imports.port import ImportsPort
from core.offices.port import OfficesPort
from core.reports.port import ReportsPort


class Console(AccessPort, ClientsPort, CallsPort, OfficesPort, ReportsPort, ImportsPort, CampaignsPort, Protocol):
    """What the TUI, the CLI and the API hold: one object serving every area."""
