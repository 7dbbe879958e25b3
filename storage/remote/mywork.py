"""'My work' of the remote Console (`core.mywork.port.MyWorkPort` over HTTP)."""

from __future__ import annotations

from core.mywork.models import MyWork
from core.mywork.rules import SECTION_DEFAULT
from storage.remote.base import RemoteBase


class RemoteMyWork(RemoteBase):
    def my_work(self, zone: str | None = None, limit: int = SECTION_DEFAULT) -> MyWork:
        params: dict[str, object] = {"limit": int(limit)}
        if zone:
            params["zone"] = zone
        return self._get("/my-work", MyWork, **params)
