"""The broker's part of the remote Console (`core.trading.port.TradingPort` over HTTP)."""

from __future__ import annotations

from core.trading.inputs import Decision
from core.trading.models import CabinetRegistration, MoneyRequest, Pulse, TradePage, TradingView
from storage.remote.base import RemoteBase, _id


class RemoteTrading(RemoteBase):
    def trading(self, client_id: int) -> TradingView:
        return self._get(f"/clients/{_id(client_id)}/trading", TradingView)

    def trades(self, account_id: int, offset: int = 0, limit: int = 50, open_only: bool = False) -> TradePage:
        params = {"offset": offset, "limit": limit, "open_only": "true" if open_only else "false"}
        return self._get(f"/trading/accounts/{_id(account_id)}/trades", TradePage, **params)

    def pulse(self, client_ids: list[int], queue: bool = False) -> Pulse:
        return self._get("/trading/pulse", Pulse, ids=list(client_ids), queue="true" if queue else "false")

    def money_requests(self, status: str | None = "pending", limit: int = 100) -> list[MoneyRequest]:
        return self._get("/trading/requests", list[MoneyRequest], status=status or "all", limit=limit)

    def decide_request(self, request_id: int, decision: Decision) -> MoneyRequest:
        return self._send("POST", f"/trading/requests/{_id(request_id)}/decision", MoneyRequest, decision)

    def register_in_cabinet(self, client_id: int) -> CabinetRegistration:
        return self._send("POST", f"/clients/{_id(client_id)}/cabinet", CabinetRegistration, None)
