"""The broker's part of the Console contract, local and remote, on both engines: the trading tab,
trades paged, the money-request queue and its decisions (409 on a stale one), the lifecycle that no
route lets a manager set, the online mark in search."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.clock import SystemClock
from core.console import LocalConsole
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.port import Console
from core.trading.inputs import Decision
from tests.api.world import World
from tests.trading_world import event

SignIn = Callable[[str], Console]
_accounts = itertools.count(1)


def platform(world: World) -> LocalConsole:
    return LocalConsole(world.crm.repo, clock=SystemClock())


def live_client(world: World, desk: str = "A", currency: str = "USD", balance: str = "50.00", **fields: object):  # type: ignore[no-untyped-def]
    card = world.client(desk, **fields)
    number = f"C-{desk}-{next(_accounts)}-{card.id}"
    now = datetime.now(UTC)
    feed = platform(world)
    feed.apply_event(event("registered", card.id, now))
    feed.apply_event(event("real_account", card.id, now, account=number, currency=currency))
    feed.apply_event(
        event(
            "snapshot",
            card.id,
            now,
            account=number,
            currency=currency,
            balance=Decimal(balance),
            equity=Decimal(balance),
        )
    )
    return card, number


def manual(world: World, client_id: int, number: str, kind: str = "deposit", amount: str = "100.00") -> None:
    platform(world).apply_event(
        event(kind, client_id, datetime.now(UTC), account=number, currency="USD", amount=Decimal(amount),
              payment_system="Bank wire", status="requested", manual=True)
    )  # fmt: skip


def test_the_trading_tab_the_same_local_and_remote(sign_in: SignIn, world: World) -> None:
    card, number = live_client(world, balance="50.00")
    console = sign_in("sup")
    view = console.trading(card.id)
    assert view == world.local("sup").trading(card.id)
    (account,) = view.accounts
    assert (account.number, account.balance.amount, account.balance.currency) == (number, Decimal("50.00"), "USD")
    assert isinstance(account.balance.amount, Decimal) and account.low_balance is True  # below 100 USD
    assert view.lifecycle == "live" and view.online is False
    feed = platform(world)
    now = datetime.now(UTC)
    for i in range(3):
        feed.apply_event(
            event("trade_opened", card.id, now + timedelta(seconds=i), account=number, ticket=f"{number}-T{i}",
                  symbol="EURUSD", side="buy", volume=Decimal("0.10"), price=Decimal("1.08512"))
        )  # fmt: skip
    page = console.trades(account.id, offset=1, limit=1)
    assert (page.total, [t.ticket for t in page.trades]) == (3, [f"{number}-T1"])
    assert page.trades[0].open_price == Decimal("1.08512")
    feed.apply_event(event("login", card.id, now))
    assert console.trading(card.id).online is True
    assert [s.online for s in console.search(str(card.id))] == [True]


def test_another_desks_client_is_not_found(sign_in: SignIn, world: World) -> None:
    card, _number = live_client(world, desk="B")
    with pytest.raises(NotFound):
        sign_in("op_a").trading(card.id)
    account_id = sign_in("adm").trading(card.id).accounts[0].id
    with pytest.raises(NotFound):
        sign_in("op_a").trades(account_id)


def test_the_queue_execute_once_and_409(sign_in: SignIn, world: World) -> None:
    card, number = live_client(world, balance="0")
    manual(world, card.id, number, amount="120.50")
    console = sign_in("sup")
    (request,) = [r for r in console.money_requests() if r.client_id == card.id]
    assert (request.status, request.amount.amount, request.manual) == ("pending", Decimal("120.50"), True)
    done = console.decide_request(request.id, Decision(action="execute"))
    assert done.status == "executed" and done.decided_by == "Sup Testov"
    with pytest.raises(Conflict, match="executed already"):
        console.decide_request(request.id, Decision(action="execute"))
    with pytest.raises(Conflict):
        console.decide_request(request.id, Decision(action="reject", reason="late"))
    assert console.trading(card.id).accounts[0].balance.amount == Decimal("120.50")
    assert request.id not in {r.id for r in console.money_requests()}
    assert request.id in {r.id for r in console.money_requests(status="executed")}


def test_a_rejection_needs_a_reason_and_notifies(sign_in: SignIn, world: World) -> None:
    card, number = live_client(world)
    manual(world, card.id, number, kind="withdrawal", amount="10.00")
    console = sign_in("sup")
    (request,) = [r for r in console.money_requests() if r.client_id == card.id]
    with pytest.raises(ValidationFailed, match="needs its reason"):
        console.decide_request(request.id, Decision(action="reject", reason="  "))
    before = world.outbox_count(card.id)
    rejected = console.decide_request(request.id, Decision(action="reject", reason="Документы не подтверждены"))
    assert (rejected.status, rejected.reason) == ("rejected", "Документы не подтверждены")
    assert world.outbox_count(card.id) == before + 1
    (sms,) = [r for r in world.crm.rows("sms_outbox", client_id=card.id) if r.template_code == "money_request_rejected"]
    assert "вывод 10.00 USD отклонена: Документы не подтверждены" in sms.text  # the client's language: Russian


def test_a_withdrawal_beyond_the_balance_fails_with_its_reason(sign_in: SignIn, world: World) -> None:
    card, number = live_client(world, balance="30.00")
    manual(world, card.id, number, kind="withdrawal", amount="40.00")
    console = sign_in("sup")
    (request,) = [r for r in console.money_requests() if r.client_id == card.id]
    failed = console.decide_request(request.id, Decision(action="execute"))
    assert (failed.status, failed.reason) == ("failed", "Insufficient funds.")
    view = console.trading(card.id)
    assert view.accounts[0].balance.amount == Decimal("30.00")
    assert [(r.status, r.reason) for r in view.requests][0] == ("failed", "Insufficient funds.")


def test_the_queue_needs_the_permission(sign_in: SignIn, world: World) -> None:
    card, number = live_client(world)
    manual(world, card.id, number)
    operator = sign_in("op_a")
    with pytest.raises(PermissionDenied, match="money requests"):
        operator.money_requests()
    request_id = next(r.id for r in world.local("sup").money_requests() if r.client_id == card.id)
    with pytest.raises(PermissionDenied):
        operator.decide_request(request_id, Decision(action="execute"))


def test_no_route_sets_the_lifecycle(world: World) -> None:
    """C13: the lifecycle changes by platform events only; the card's edit refuses the field."""
    import httpx

    card = world.client("A")
    remote = world.remote("sup")
    body = {"surname": "Тестов", "first_name": "Клиент", "expected_version": card.personal_version, "lifecycle": "live"}
    answer = httpx.put(
        f"{world.server.url}/api/v1/clients/{card.id}/personal",
        json=body,
        headers={"Authorization": f"Bearer {remote._token}"},
    )
    assert answer.status_code == 422
    document = httpx.get(f"{world.server.url}/openapi.json").json()
    schemas = document["components"]["schemas"]
    setters = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            body = str(op.get("requestBody", ""))
            names = [name for name in schemas if f"#/components/schemas/{name}'" in body]
            if method in ("post", "put", "patch") and path != "/api/v1/events":
                setters += [path for name in names if "lifecycle" in schemas[name].get("properties", {})]
    assert setters == []
    assert world.local("sup").open_card(card.id).lifecycle == "lead"


def test_the_live_pulse_the_same_local_and_remote(sign_in: SignIn, world: World) -> None:
    """The live card's poll over HTTP: version, lifecycle and online of the ids asked, the queue's
    token for staff with the permission; another desk's client is left out."""
    card, number = live_client(world)
    console = sign_in("sup")
    (before,) = console.pulse([card.id]).clients
    assert before == world.local("sup").pulse([card.id]).clients[0]
    assert (before.lifecycle, before.online) == ("live", False)
    queue = console.pulse([], queue=True).queue
    platform(world).apply_event(event("login", card.id, datetime.now(UTC)))
    manual(world, card.id, number)
    pulse = console.pulse([card.id], queue=True)
    (after,) = pulse.clients
    assert after.online is True and after.version > before.version
    assert pulse.queue not in (None, queue)
    other = sign_in("op_b").pulse([card.id], queue=True)
    assert other.clients == [] and other.queue is None


def test_the_pulse_token_is_of_my_desks_over_http(sign_in: SignIn, world: World) -> None:
    """S4: a request on desk B leaves the token of desk A's supervisor, and moves the administrator's."""
    card, number = live_client(world, desk="B")
    sup, adm = sign_in("sup"), sign_in("adm")
    mine, every = sup.pulse([], queue=True).queue, adm.pulse([], queue=True).queue
    manual(world, card.id, number)
    pulse = sup.pulse([card.id], queue=True)
    assert pulse.queue == mine and pulse.clients == []
    assert adm.pulse([], queue=True).queue != every
