"""The broker's ports: `TradingPort` (what the console offers, part of `core.port.Console`) and
`PlatformFeed` (I4: where events come from, pulled: the simulator, a JSON-lines file; the webhook
`POST /api/v1/events` pushes into the same `apply_event`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from core.trading.inputs import Decision
from core.trading.models import CabinetRegistration, MoneyRequest, PlatformEvent, Pulse, TradePage, TradingView


class PlatformFeed(Protocol):
    def events(self) -> Iterator[PlatformEvent]:
        """The events in the order the platform sent them."""
        ...


class TradingPort(Protocol):
    def trading(self, client_id: int) -> TradingView:
        """C15: the card's trading tab; C14: the online mark."""
        ...

    def trades(self, account_id: int, offset: int = 0, limit: int = 50, open_only: bool = False) -> TradePage:
        """The account's trades, newest first, one page."""
        ...

    def money_requests(self, status: str | None = "pending", limit: int = 100) -> list[MoneyRequest]:
        """M3: the queue (the execute-payments permission); `status` None: every status."""
        ...

    def decide_request(self, request_id: int, decision: Decision) -> MoneyRequest:
        """M3: execute or reject (with a reason) a pending request; Conflict if it is not pending."""
        ...

    def register_in_cabinet(self, client_id: int) -> CabinetRegistration:
        """M2: a Lead with an e-mail registered in the client cabinet; the credentials go by e-mail."""

    def pulse(self, client_ids: list[int], queue: bool = False) -> Pulse:
        """The live card's poll: version, lifecycle and online of these clients; `queue`: the M3
        queue's token too (with the execute-payments permission). One light read."""
        ...
