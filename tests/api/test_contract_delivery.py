"""I2, I3, M2 through the Console, in-process and over HTTP alike: the cabinet registration and the
card's messages with their statuses; masking applies to their addresses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.access.rules import is_masked_phone
from core.errors import Conflict, NotFound
from core.port import Console
from tests.api.world import World

SignIn = Callable[[str], Console]


def test_registration_and_the_cards_messages(sign_in: SignIn, world: World) -> None:
    card = world.client("A", email="lead.a@example.org")
    office = sign_in("off_a")
    done = office.register_in_cabinet(card.id)
    assert (done.login, done.email, done.lifecycle) == (f"C{card.id:07d}", "lead.a@example.org", "demo")
    with pytest.raises(Conflict):
        office.register_in_cabinet(card.id)
    office.send_sms(card.id, "callback", phone_id=card.phones[0].id)
    sms, mail = office.client_messages(card.id)
    assert (sms.channel, sms.to) == ("sms", card.phones[0].number)
    # queued, or already sent: the world's API server, once a remote test started it, delivers its queue
    assert sms.status in ("queued", "sent")
    assert (mail.channel, mail.purpose, mail.to, mail.subject) == (
        "email", "credentials", "lead.a@example.org", "Доступ в личный кабинет"
    )  # fmt: skip
    assert "********" in mail.text  # the password is never listed
    with pytest.raises(NotFound):
        sign_in("off_b").client_messages(card.id)


def test_a_masked_operator_sees_masked_addresses(sign_in: SignIn, world: World) -> None:
    card = world.client("A", email="masked@example.org")
    world.local("off_a").register_in_cabinet(card.id)
    world.local("off_a").send_sms(card.id, "callback", phone_id=card.phones[0].id)
    sms, mail = sign_in("op_a").client_messages(card.id)
    assert is_masked_phone(sms.to) and mail.to.startswith("m***@") and "masked@" not in mail.to
