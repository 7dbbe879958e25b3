"""M3: a decided money request notifies the client by SMS and e-mail from templates in the
client's language; a withdrawal that fails for want of funds notifies nobody."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from core.trading.inputs import Decision
from tests.helpers import Crm, new_client
from tests.trading_world import event


def _request(crm: Crm, kind: str = "deposit", amount: str = "75.25", language: str = "ru"):  # type: ignore[no-untyped-def]
    boss = crm.console("boss")
    card = new_client(boss, email="alena@example.org")
    with crm.engine.begin() as conn:
        conn.execute(text("UPDATE client SET language = :l WHERE id = :id"), {"l": language, "id": card.id})
    at = crm.clock.now()
    boss.apply_event(event("real_account", card.id, at, account=f"N-{card.id}", currency="EUR"))
    boss.apply_event(
        event(kind, card.id, at, account=f"N-{card.id}", currency="EUR", amount=Decimal(amount),
              payment_system="Bank wire", status="requested", manual=True)
    )  # fmt: skip
    (request,) = boss.money_requests()
    return boss, card, request


def _notices(crm: Crm, client_id: int) -> tuple[list, list]:  # type: ignore[type-arg]
    return crm.rows("sms_outbox", client_id=client_id), crm.rows("email_outbox", client_id=client_id)


def test_a_rejection_notifies_by_sms_and_email_in_russian(crm: Crm) -> None:
    boss, card, request = _request(crm)
    boss.decide_request(request.id, Decision(action="reject", reason="Документы не подтверждены"))
    (sms,), (mail,) = _notices(crm, card.id)
    assert sms.template_code == mail.template_code == "money_request_rejected"
    assert "пополнение 75.25 EUR отклонена: Документы не подтверждены" in sms.text
    assert (mail.to, mail.subject) == ("alena@example.org", "Заявка на пополнение отклонена")
    assert "Причина: Документы не подтверждены" in mail.body and mail.status == "queued"


def test_an_execution_notifies_in_the_clients_language(crm: Crm) -> None:
    boss, card, request = _request(crm, language="en")
    boss.decide_request(request.id, Decision(action="execute"))
    (sms,), (mail,) = _notices(crm, card.id)
    assert sms.text == "Иван, your deposit request of 75.25 EUR was executed."
    assert mail.subject == "Your deposit request was executed" and mail.template_code == "money_request_executed"


def test_a_withdrawal_beyond_the_balance_notifies_nobody(crm: Crm) -> None:
    boss, card, request = _request(crm, kind="withdrawal")
    failed = boss.decide_request(request.id, Decision(action="execute"))
    assert failed.status == "failed"
    assert _notices(crm, card.id) == ([], [])
