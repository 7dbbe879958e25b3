"""M2: a Lead with an e-mail registered in the client cabinet from the card: the simulator's
cabinet makes it Demo, the credentials go by e-mail, the password is never shown and not kept
once the SMTP server took it."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli import app
from core.delivery.deliverer import Deliverer
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.settings import Delivery
from storage.senders import senders_from
from tests.delivery_servers import MailServer
from tests.helpers import Crm, new_client


def _lead(crm: Crm, email: str | None = "lead@example.org"):  # type: ignore[no-untyped-def]
    boss = crm.console("boss")
    return boss, new_client(boss, email=email)


def _all_text(crm: Crm) -> str:
    """Every text column of the outboxes and the history, to look for the password."""
    with crm.engine.connect() as conn:
        rows = conn.execute(text("SELECT subject, body, redacted FROM email_outbox")).all()
        rows += conn.execute(text("SELECT comment, NULL, NULL FROM contact")).all()
    return "\n".join(str(v) for r in rows for v in r if v)


def test_a_lead_is_registered_and_gets_its_credentials_by_email(crm: Crm) -> None:
    boss, card = _lead(crm)
    done = boss.register_in_cabinet(card.id)
    assert (done.login, done.email, done.lifecycle) == (f"C{card.id:07d}", "lead@example.org", "demo")
    assert boss.trading(card.id).lifecycle == "demo"  # the cabinet's `registered` event, by the webhook's path
    (mail,) = crm.rows("email_outbox", client_id=card.id)
    assert (mail.to, mail.purpose, mail.status) == ("lead@example.org", "credentials", "queued")
    password = re.search(r"Пароль: (\S+)", mail.body).group(1)  # type: ignore[union-attr]
    assert len(password) == 14 and password not in done.model_dump_json()
    assert mail.redacted is not None and password not in mail.redacted and "********" in mail.redacted
    assert any(h.comment == f"cabinet {done.login}: credentials by e-mail" for h in boss.history(card.id))
    assert password not in json.dumps([i.model_dump(mode="json") for i in crm.repo.messages(10)])  # crm outbox

    mail_server = MailServer().start()
    try:
        config = Delivery(smtp_host="127.0.0.1", smtp_port=mail_server.port, smtp_starttls=False)
        Deliverer(crm.repo, crm.clock, senders_from(config, 5)).run_once()
    finally:
        mail_server.stop()
    (got,) = mail_server.mails
    assert f"Пароль: {password}" in got["body"] and got["subject"] == "Доступ в личный кабинет"
    assert password not in _all_text(crm)  # sent: redacted; nowhere else in the database
    with pytest.raises(Conflict, match="not yet in the cabinet"):
        boss.register_in_cabinet(card.id)


def test_what_a_registration_needs(crm: Crm) -> None:
    boss, no_mail = _lead(crm, email=None)
    with pytest.raises(ValidationFailed, match="no e-mail"):
        boss.register_in_cabinet(no_mail.id)
    card = new_client(boss, email="x@example.org", phones=["+79123450001"])
    crm.add_employee("ctl", role="control")
    with pytest.raises(PermissionDenied):
        crm.sign_in("ctl").register_in_cabinet(card.id)
    other = crm.console("other", role="office", desks=["Desk B"])
    with pytest.raises(NotFound):
        other.register_in_cabinet(card.id)
    assert crm.count("email_outbox") == 0 and crm.count("cabinet_account") == 0


def test_a_masked_operator_sees_the_address_masked(crm: Crm) -> None:
    _boss, card = _lead(crm)
    done = crm.console("op", role="operator").register_in_cabinet(card.id)
    assert done.email != "lead@example.org" and done.email.startswith("l***@")


def test_crm_trading_register(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    _boss, card = _lead(crm)
    monkeypatch.setenv("CRM_DB", crm.target)
    result = CliRunner().invoke(app, ["trading", "register", str(card.id), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["login"] == f"C{card.id:07d}"
    again = CliRunner().invoke(app, ["trading", "register", str(card.id)])
    assert again.exit_code == 1 and "crm: Only a Lead not yet in the cabinet can be registered." in again.output
