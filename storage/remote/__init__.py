"""The Console port over HTTP (httpx): `crm --server URL`.

The operator cannot tell it from the local console except by speed: the same shapes come back and
the same `core.errors` are raised. One mixin per area (`access`, `clients`, `calls`, `offices`,
`reports`, `work`) over `base.RemoteBase`; `RemoteConsole` is their union.
"""

from __future__ import annotations

from storage.remote.access import RemoteAccess
from storage.remote.admin import RemoteAdmin
from storage.remote.assign import RemoteAssign
from storage.remote.automation import RemoteAutomation
from storage.remote.base import RemoteBase
from storage.remote.calls import RemoteCalls
from storage.remote.campaigns import RemoteCampaigns
from storage.remote.clients import RemoteClients
from storage.remote.custody import RemoteCustody
from storage.remote.delivery import RemoteDelivery
from storage.remote.floor import RemoteFloor
from storage.remote.imports import RemoteImports
from storage.remote.jobs import RemoteJobs
from storage.remote.mywork import RemoteMyWork
from storage.remote.offices import RemoteOffices
from storage.remote.reports import RemoteReports
from storage.remote.tasks import RemoteTasks
from storage.remote.trading import RemoteTrading
from storage.remote.work import RemoteWork

__all__ = ["RemoteConsole"]


class RemoteConsole(
    RemoteAccess,
    RemoteClients,
    RemoteCalls,
    RemoteOffices,
    RemoteReports,
    RemoteCustody,
    RemoteTrading,
    RemoteWork,
    RemoteTasks,
    RemoteMyWork,
    RemoteAssign,
    RemoteJobs,
    RemoteAdmin,
    RemoteImports,
    RemoteCampaigns,
    RemoteAutomation,
    RemoteFloor,
    RemoteDelivery,
    RemoteBase,
):
    """Implements `core.port.Console` against the API served by `crm serve`."""
