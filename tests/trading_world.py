"""Helpers of the broker's tests: platform events as the platform would send them."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal

from core.console import LocalConsole
from core.trading.models import PlatformEvent

_ids = itertools.count(1)


def event(kind: str, client_id: int, at: datetime, **fields: object) -> PlatformEvent:
    values: dict[str, object] = {"id": f"ev-{next(_ids)}", "kind": kind, "at": at, "client_id": client_id, **fields}
    return PlatformEvent.model_validate(values)


def live_account(console: LocalConsole, client_id: int, at: datetime, number: str, currency: str = "USD") -> None:
    """Registration, a real account and a first balance."""
    console.apply_event(event("registered", client_id, at))
    console.apply_event(event("real_account", client_id, at, account=number, currency=currency))
    console.apply_event(
        event(
            "snapshot",
            client_id,
            at,
            account=number,
            currency=currency,
            balance=Decimal("500.00"),
            equity=Decimal("500.00"),
        )
    )
