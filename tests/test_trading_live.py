"""The live card's poll (`Console.pulse`) on both engines: the version moves with what the platform
or a decision changes (not with a heartbeat), online ends at logout or at the heartbeat timeout
with no event, the queue's token moves with a new or a decided request; desks and permissions hold."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from core.errors import ValidationFailed
from core.trading.inputs import Decision
from core.trading.operations import MAX_PULSE_IDS
from core.trading.rules import TradingConfig
from storage.engine import write
from storage.tables import DeskRow
from tests.helpers import Crm, new_client
from tests.trading_world import event


@pytest.fixture
def broker(crm: Crm):  # type: ignore[no-untyped-def]
    console = crm.console("boss", role="supervisor")
    console.trading_config = TradingConfig(online_timeout_s=120)
    return console


def seen(console, client_id):  # type: ignore[no-untyped-def]
    (pulse,) = console.pulse([client_id]).clients
    return pulse.version, pulse.lifecycle, pulse.online


def test_the_version_moves_with_the_platform_not_with_presence(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    v0, lifecycle, online = seen(broker, card.id)
    assert (lifecycle, online) == ("lead", False) and broker.open_card(card.id).live_version == v0
    broker.apply_event(event("registered", card.id, at))
    v1 = seen(broker, card.id)[0]
    assert v1 > v0 and seen(broker, card.id)[1] == "demo"
    broker.apply_event(event("heartbeat", card.id, at))
    assert seen(broker, card.id) == (v1, "demo", False)  # a demo client is never online (C14)
    broker.apply_event(event("real_account", card.id, at, account="L-1", currency="USD"))
    v2 = seen(broker, card.id)[0]
    assert v2 > v1
    broker.apply_event(event("login", card.id, at))
    assert seen(broker, card.id) == (v2, "live", True)
    broker.apply_event(event("logout", card.id, at + timedelta(seconds=5)))
    assert seen(broker, card.id) == (v2, "live", False)


def test_online_ends_at_the_heartbeat_timeout_without_an_event(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="L-2", currency="USD"))
    broker.apply_event(event("heartbeat", card.id, at))
    assert seen(broker, card.id)[2] is True
    crm.clock.advance(seconds=119)
    assert seen(broker, card.id)[2] is True
    crm.clock.advance(seconds=2)
    assert seen(broker, card.id)[2] is False


def test_the_queue_token_moves_with_new_and_decided_requests(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="L-3", currency="USD"))
    before = broker.pulse([], queue=True)
    assert before.clients == [] and before.queue is not None
    version = seen(broker, card.id)[0]
    broker.apply_event(event("deposit", card.id, at, account="L-3", currency="USD", amount=Decimal("300.00"),
                             payment_system="Bank wire", status="requested", manual=True))  # fmt: skip
    arrived = broker.pulse([], queue=True).queue
    assert arrived != before.queue and seen(broker, card.id)[0] > version
    assert broker.pulse([], queue=True).queue == arrived  # nothing changed: the same token
    (request,) = broker.money_requests()
    version = seen(broker, card.id)[0]
    broker.decide_request(request.id, Decision(action="execute"))
    assert broker.pulse([], queue=True).queue not in (arrived, None)
    assert seen(broker, card.id)[0] > version  # the card's balance and requests changed


def test_other_desks_and_the_queue_without_the_permission_stay_hidden(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    other = crm.console("elsewhere", role="operator", desks=["Другая группа"])
    pulse = other.pulse([card.id], queue=True)
    assert pulse.clients == [] and pulse.queue is None
    with pytest.raises(ValidationFailed):
        broker.pulse(list(range(1, MAX_PULSE_IDS + 2)))


def test_a_request_of_another_desk_leaves_my_token(broker, crm) -> None:  # type: ignore[no-untyped-def]
    """S4: the queue's token counts the reader's desks' requests only (every desk with all_desks);
    a client id of another desk asked for is left out."""
    elsewhere = crm.console("boss_b", role="supervisor", desks=["Другая группа"])
    everyone = crm.console("root", role="admin")
    card = new_client(elsewhere)
    at = crm.clock.now()
    elsewhere.apply_event(event("real_account", card.id, at, account="L-B", currency="USD"))
    mine, theirs, all_ = (c.pulse([], queue=True).queue for c in (broker, elsewhere, everyone))
    elsewhere.apply_event(event("deposit", card.id, at, account="L-B", currency="USD", amount=Decimal("70.00"),
                                payment_system="Bank wire", status="requested", manual=True))  # fmt: skip
    pulse = broker.pulse([card.id], queue=True)
    assert pulse.queue == mine and pulse.clients == []
    assert elsewhere.pulse([], queue=True).queue != theirs
    assert everyone.pulse([card.id], queue=True).queue != all_
    assert [c.id for c in everyone.pulse([card.id]).clients] == [card.id]


def test_the_stage_applies_on_a_broker_desk_from_lead(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    assert not broker.open_card(card.id).shows_stage  # a bank's lead: no broker lifecycle
    with write(crm.engine) as conn:
        conn.execute(update(DeskRow).where(DeskRow.id == card.desk_id).values(broker=True))
    assert broker.open_card(card.id).shows_stage


def test_the_poll_is_one_light_read(broker, crm) -> None:  # type: ignore[no-untyped-def]
    """Every few seconds per open screen: the clients by primary key and the queue's token, on one
    connection; SQLite's count includes the BEGIN of the read transaction."""
    from tests.statements import counting

    ids = [new_client(broker, phones=[f"8 912 111-22-{i:02d}"]).id for i in range(20)]
    with counting(crm.engine) as count:
        pulse = broker.pulse(ids, queue=True)
    assert len(pulse.clients) == 20 and pulse.queue is not None
    assert len(count.statements) <= (3 if crm.engine_name == "sqlite" else 2), str(count)
    assert count.checkouts == 1, str(count)
