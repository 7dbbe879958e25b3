"""The Console port over HTTP (httpx): `crm --server URL`.

The operator cannot tell it from the local console except by speed: the same shapes come back and
the same `core.errors` are raised. One mixin per area (`access`, `clients`, `calls`, `offices`,
`reports`) over `base.RemoteBase`; `RemoteConsole` is their union.
"""

from __future__ import annotations

from storage.remote.access import RemoteAccess
from storage.remote.base import RemoteBase
from storage.remote.calls import RemoteCalls
from storage.remote.campaigns import RemoteCampaigns
from storage.remote.clients import RemoteClients
from storage.remote.imports import RemoteImports
from storage.remote.offices import RemoteOffices
from storage.remote.reports import RemoteReports

__all__ = ["RemoteConsole"]


class RemoteConsole(
    RemoteAccess, RemoteClients, RemoteCalls, RemoteOffices, RemoteReports, RemoteImports, RemoteCampaigns, RemoteBase
):
    """Implements `core.port.Console` against the API served by `crm serve`."""
