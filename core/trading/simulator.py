"""I4's built-in default: a deterministic platform (seeded, with a clock) emitting what a real one
would — registrations, real accounts, logins and heartbeats, deposits and withdrawals over several
payment systems, trades, snapshots. The same seed and clock give the same events."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from core.clock import Clock
from core.trading.models import PlatformEvent

PAYMENT_SYSTEMS = ("Visa", "Mastercard", "Skrill", "Neteller", "Bank wire", "USDT")
MANUAL_SYSTEMS = frozenset({"Bank wire", "USDT"})  # staff check these (M3)
SYMBOLS = (
    ("EURUSD", Decimal("1.08")),
    ("GBPUSD", Decimal("1.27")),
    ("XAUUSD", Decimal("2050")),
    ("USDJPY", Decimal("150")),
)
CURRENCIES = ("USD", "USD", "EUR")
BONUS_EVERY = 7  # about one deposit and one trade in seven carry the bonus flag (drawn without the RNG)


class Simulator:
    """`core.trading.port.PlatformFeed` over the given CRM client ids; `steps` events, `step_s` apart.
    `states` and `currencies` start it where a database is (lifecycle, a live client's account
    currency); `prefix` keeps a run's event ids apart from an earlier run's."""

    def __init__(
        self,
        client_ids: list[int],
        clock: Clock,
        seed: int = 1,
        steps: int = 100,
        step_s: int = 30,
        states: dict[int, str] | None = None,
        currencies: dict[int, str] | None = None,
        prefix: str = "sim",
    ) -> None:
        self.client_ids = list(client_ids)
        self.clock = clock
        self.random = random.Random(seed)
        self.steps = steps
        self.step_s = step_s
        self.prefix = prefix
        self._n = 0
        self._live = False
        self._state: dict[int, str] = dict(states or {})  # client id -> lead | demo | live
        self._tickets: dict[int, list[str]] = {}
        self._currency: dict[int, str] = dict(currencies or {})
        for client, state in self._state.items():  # a live client whose account is unknown: a new one
            if state == "live" and client not in self._currency:
                self._state[client] = "demo"

    def _event(self, kind: str, client_id: int, at: datetime, **fields: object) -> PlatformEvent:
        self._n += 1
        return PlatformEvent.model_validate(
            {"id": f"{self.prefix}-{self._n}", "kind": kind, "at": at, "client_id": client_id, **fields}
        )

    def account(self, client_id: int) -> str:
        return f"SIM-{client_id:06d}"

    def events(self) -> Iterator[PlatformEvent]:
        if not self.client_ids:
            return
        start = self.clock.now()
        for step in range(self.steps):
            at = start + timedelta(seconds=step * self.step_s)
            client = self.random.choice(self.client_ids)
            yield from self._next(client, at)

    def live(self) -> Iterator[PlatformEvent]:
        """Without end, each moment at the clock's now: the caller paces them and stops when it likes.
        The same seed over the same starting states gives the same kinds for the same clients."""
        self._live = True  # no event is dated ahead of the clock
        while self.client_ids:
            yield from self._next(self.random.choice(self.client_ids), self.clock.now())

    def _next(self, client: int, at: datetime) -> Iterator[PlatformEvent]:
        r = self.random
        state = self._state.get(client, "lead")
        if state == "lead":
            self._state[client] = "demo"
            yield self._event("registered", client, at)
            return
        if state == "demo" and client % 3 == 0:  # a third stay on the demo platform
            yield self._event("heartbeat", client, at)
            return
        if state == "demo":
            self._state[client] = "live"
            currency = self._currency[client] = r.choice(CURRENCIES)
            yield self._event("real_account", client, at, account=self.account(client), currency=currency)
            return
        account = self.account(client)
        roll = r.random()
        if roll < 0.3:
            yield self._event("login", client, at)
            if not self._live:
                yield self._event("heartbeat", client, at + timedelta(seconds=10))
        elif roll < 0.4:
            yield self._event("logout", client, at)
        elif roll < 0.6:
            system = r.choice(PAYMENT_SYSTEMS)
            amount = Decimal(r.randrange(50, 5000)).quantize(Decimal("0.01"))
            kind = "deposit" if r.random() < 0.75 else "withdrawal"
            status = "failed" if r.random() < 0.05 else "requested"
            yield self._event(
                kind, client, at, account=account, currency=self._currency[client], amount=amount, payment_system=system,
                status=status, manual=system in MANUAL_SYSTEMS, reason="Declined by the bank" if status == "failed" else None,
                bonus=kind == "deposit" and self._n % BONUS_EVERY == 0,
            )  # fmt: skip
        elif roll < 0.85:
            symbol, price = r.choice(SYMBOLS)
            ticket = f"SIM-T{self._n + 1}"
            self._tickets.setdefault(client, []).append(ticket)
            side = r.choice(("buy", "sell"))
            volume = Decimal(r.choice(("0.01", "0.10", "0.50", "1.00")))
            yield self._event(
                "trade_opened",
                client,
                at,
                account=account,
                ticket=ticket,
                symbol=symbol,
                side=side,
                volume=volume,
                price=price,
                bonus=self._n % BONUS_EVERY == 0,
            )
        elif self._tickets.get(client):
            ticket = self._tickets[client].pop(0)
            profit = Decimal(r.randrange(-200, 300)).quantize(Decimal("0.01"))
            yield self._event(
                "trade_closed", client, at, account=account, ticket=ticket, price=Decimal("1"), profit=profit
            )
        else:
            yield self._event("heartbeat", client, at)
