"""I2, I3: both outboxes delivered by the worker through real servers (aiosmtpd, an HTTP gateway):
the servers down for a while then up, every message delivered exactly once; statuses and reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from core.delivery import rules
from core.delivery.deliverer import Deliverer
from core.jobs.worker import Worker
from core.outbox import NewEmail, NewSms
from core.settings import Delivery
from storage.repo_delivery import EMAIL_INSERT, email_values
from storage.repo_people import sms_values
from storage.senders import senders_from
from storage.tables import SmsOutboxRow
from storage.tables_delivery import EmailOutboxRow
from tests.delivery_servers import Gateway, MailServer
from tests.helpers import Crm

pytestmark = pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway().start()
    yield server
    server.stop()


def config(mail: MailServer, gateway: Gateway) -> Delivery:
    return Delivery(smtp_host="127.0.0.1", smtp_port=mail.port, smtp_starttls=False, sms_gateway_url=gateway.url)


def worker(crm: Crm, mail: MailServer, gateway: Gateway) -> Worker:
    senders = senders_from(config(mail, gateway), timeout=5)
    return Worker(crm.repo, crm.clock, delivery=Deliverer(crm.repo, crm.clock, senders))


def queue(crm: Crm, n: int, send_after_s: int | None = None) -> None:
    now = crm.clock.now()
    after = now + timedelta(seconds=send_after_s) if send_after_s is not None else None
    with crm.engine.begin() as conn:
        for i in range(n):
            sms = NewSms(f"+7900{i:07d}", f"sms {i}", "client", now, send_after=after)
            conn.execute(insert(SmsOutboxRow).values(**sms_values(sms)))
            email = NewEmail(f"c{i}@example.org", f"subject {i}", f"body {i}", "client", now, send_after=after)
            conn.execute(EMAIL_INSERT, email_values(email))


def statuses(crm: Crm) -> list[tuple[str, str, int, str | None]]:
    return [(i.channel, i.status, i.attempts, i.error) for i in crm.repo.messages(1000)]


def test_down_for_a_while_then_up_every_message_exactly_once(crm: Crm, mail: MailServer, gateway: Gateway) -> None:
    queue(crm, 5)
    mail.stop()
    gateway.down = True
    w = worker(crm, mail, gateway)
    assert w.run_until_idle() == 10  # one try each; then nothing is due until the backoff passes
    rows = statuses(crm)
    assert {(c, s, a) for c, s, a, _ in rows} == {("sms", "queued", 1), ("email", "queued", 1)}
    assert {e for c, _, _, e in rows if c == "email"} == {"SMTP server unavailable: ConnectionRefusedError"}
    assert {e for c, _, _, e in rows if c == "sms"} == {"SMS gateway answered 503"}

    crm.clock.advance(seconds=(rules.backoff(1)).total_seconds())  # still down: a second try, a longer pause
    assert w.run_until_idle() == 10
    assert {a for _, _, a, _ in statuses(crm)} == {2}
    crm.clock.advance(seconds=(rules.backoff(2) - timedelta(seconds=1)).total_seconds())
    assert w.run_until_idle() == 0  # not due yet

    mail.start()
    gateway.down = False
    crm.clock.advance(seconds=(timedelta(seconds=1)).total_seconds())
    assert w.run_until_idle() == 10
    assert {(c, s, e) for c, s, _, e in statuses(crm)} == {("sms", "sent", None), ("email", "sent", None)}
    assert w.run_until_idle() == 0
    assert sorted(mail.counts().values()) == [1] * 5 and len(mail.mails) == 5
    assert sorted(gateway.counts().values()) == [1] * 5 and gateway.keys == [m["id"] for m in gateway.received]
    assert {m["to"] for m in mail.mails} == {f"c{i}@example.org" for i in range(5)}
    assert {m["text"] for m in gateway.received} == {f"sms {i}" for i in range(5)}


def test_a_message_waits_for_its_send_after(crm: Crm, mail: MailServer, gateway: Gateway) -> None:
    queue(crm, 2, send_after_s=3600)  # the visit SMS of O3: the day before, at its hour
    w = worker(crm, mail, gateway)
    assert w.run_until_idle() == 0 and not gateway.received and not mail.mails
    crm.clock.advance(seconds=(timedelta(hours=1)).total_seconds())
    assert w.run_until_idle() == 4
    assert len(gateway.received) == 2 and len(mail.mails) == 2


def test_a_send_cut_by_a_dead_worker_is_not_repeated(crm: Crm, mail: MailServer, gateway: Gateway) -> None:
    queue(crm, 1)
    claimed = crm.repo.claim_message("sms", "dead-worker", crm.clock.now(), rules.LEASE)  # then it died
    assert claimed is not None and claimed.to == "+79000000000"
    w = worker(crm, mail, gateway)
    w.run_until_idle()
    assert len(mail.mails) == 1 and not gateway.received  # 'sending': not taken while the lease holds
    crm.clock.advance(seconds=(rules.LEASE + timedelta(seconds=1)).total_seconds())
    w.run_until_idle()
    assert not gateway.received
    assert ("sms", "failed", 1, rules.UNKNOWN_OUTCOME) in statuses(crm)
    assert not crm.repo.finish_message("sms", claimed.id, "dead-worker", crm.clock.now(), None, None)


def test_refused_for_good_fails_with_the_reason_and_retries_end(crm: Crm, mail: MailServer, gateway: Gateway) -> None:
    queue(crm, 1)
    config_ = config(mail, gateway)
    config_.sms_gateway_url = gateway.url.replace("/sms", "/missing")
    gateway.server.RequestHandlerClass.do_POST = lambda self: (self.send_response(404), self.end_headers())  # type: ignore[method-assign]
    mail.stop()
    senders = senders_from(config_, timeout=5)
    d = Deliverer(crm.repo, crm.clock, senders)
    d.run_once()
    for attempt in range(1, rules.MAX_ATTEMPTS):
        crm.clock.advance(seconds=(rules.backoff(attempt)).total_seconds())
        d.run_once()
    rows = {c: (s, a, e) for c, s, a, e in statuses(crm)}
    assert rows["sms"] == ("failed", 1, "SMS gateway refused the message (404)")
    assert rows["email"] == ("failed", rules.MAX_ATTEMPTS, "SMTP server unavailable: ConnectionRefusedError")


def test_a_secret_body_is_redacted_once_sent(crm: Crm, mail: MailServer, gateway: Gateway) -> None:
    now = crm.clock.now()
    email = NewEmail("lead@example.org", "Cabinet", "Password: s3cret-X", "credentials", now, redacted="Password: ***")
    with crm.engine.begin() as conn:
        conn.execute(EMAIL_INSERT, email_values(email))
    worker(crm, mail, gateway).run_until_idle()
    assert "s3cret-X" in mail.mails[0]["body"]
    with crm.engine.connect() as conn:
        body, redacted = conn.execute(select(EmailOutboxRow.body, EmailOutboxRow.redacted)).one()
    assert (body, redacted) == ("Password: ***", None)


def test_a_send_past_its_time_is_cut_though_each_answer_came_in_time(crm: Crm) -> None:
    """The send's time (a third of the lease) bounds the whole send: a server answering RCPT and
    then DATA 0.8 s late each, within the 1 s of a read, is cut after 1 s; the message may have
    reached it, so it fails and is not sent again (before, it was sent after 1.6 s)."""
    slow = MailServer(delay=0.8, rcpt_delay=0.8).start()
    try:
        queue(crm, 1)
        email = Delivery(smtp_host="127.0.0.1", smtp_port=slow.port, smtp_starttls=False)
        d = Deliverer(crm.repo, crm.clock, [s for s in senders_from(email, timeout=1) if s.channel == "email"])
        assert d.run_once() == 1
    finally:
        slow.stop()
    ((channel, status, attempts, error),) = [row for row in statuses(crm) if row[0] == "email"]
    assert (channel, status, attempts) == ("email", "failed", 1)
    assert error == "SMTP connection lost: SMTPServerDisconnected"


def test_an_sms_gateway_has_a_third_of_the_send_for_its_answer(crm: Crm, gateway: Gateway) -> None:
    """Connecting, sending and reading the answer get a third of the send's time each, so the
    send ends within it: an answer 0.5 s late is too late for a 1 s send (before, 1 s to answer)."""
    queue(crm, 1)
    gateway.delay = 0.5
    sms = [s for s in senders_from(Delivery(sms_gateway_url=gateway.url), timeout=1) if s.channel == "sms"]
    assert Deliverer(crm.repo, crm.clock, sms).run_once() == 1
    ((status, error),) = [(s, e) for c, s, _, e in statuses(crm) if c == "sms"]
    assert (status, error) == ("failed", "SMS gateway did not answer: ReadTimeout")


def test_log_only_default_logs_the_id_never_the_address(crm: Crm, caplog: pytest.LogCaptureFixture) -> None:
    queue(crm, 1)
    caplog.set_level("INFO", logger="crm.delivery")
    d = Deliverer(crm.repo, crm.clock, senders_from(Delivery(), timeout=5))
    assert d.run_once() == 2
    assert {s for _, s, _, _ in statuses(crm)} == {"sent"}
    text = caplog.text
    assert "log-only" in text and "+7900" not in text and "example.org" not in text and "sms 0" not in text


def test_crm_outbox_shows_both_kinds_with_status_and_reason(
    crm: Crm, mail: MailServer, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from cli import app

    queue(crm, 1)
    gateway.down = True
    worker(crm, mail, gateway).run_until_idle()
    monkeypatch.setenv("CRM_DB", crm.target)
    result = CliRunner().invoke(app, ["outbox", "--json"])
    assert result.exit_code == 0, result.output
    shown = {m["channel"]: m for m in json.loads(result.output)}
    assert shown["email"]["status"] == "sent" and shown["email"]["subject"] == "subject 0"
    assert shown["email"]["sent_at"] and shown["email"]["attempts"] == 1
    assert (shown["sms"]["status"], shown["sms"]["error"]) == ("queued", "SMS gateway answered 503")
    lines = CliRunner().invoke(app, ["outbox"]).output.splitlines()
    assert any("email  sent" in line and "subject 0: body 0" in line for line in lines)
    assert any("sms    queued" in line and "[SMS gateway answered 503]" in line for line in lines)


def test_a_visit_sms_goes_the_day_before_at_its_hour(crm: Crm, gateway: Gateway) -> None:
    """O3: the saved call's visit SMS waits in the outbox until its send_after, then the worker sends it."""
    from tests.save_world import World

    world = World(crm)
    world.console.save_call(world.agreed(world.client()))
    (sms,) = crm.rows("sms_outbox", purpose="visit")
    d = Deliverer(crm.repo, crm.clock, senders_from(Delivery(sms_gateway_url=gateway.url), timeout=5))
    d.run_once()  # the sign-in code of the world's employee goes; the visit SMS waits
    assert all(m["text"] != sms.text for m in gateway.received)
    before = len(gateway.received)
    send_after = sms.send_after.replace(tzinfo=crm.clock.now().tzinfo)
    crm.clock.advance(seconds=(send_after - crm.clock.now()).total_seconds())
    assert d.run_once() == 1
    assert [(m["to"], m["text"]) for m in gateway.received[before:]] == [(sms.to, sms.text)]
    (sent,) = crm.rows("sms_outbox", purpose="visit")
    assert sent.status == "sent"
