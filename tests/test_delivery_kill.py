"""`crm worker` killed with SIGKILL while it sends e-mail to a real SMTP server: after the restart
no message was delivered twice, every one is sent or (the one cut mid-send) failed with "unknown
outcome" (SQLite with one worker, PostgreSQL with two)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from core.delivery.rules import UNKNOWN_OUTCOME
from core.outbox import NewEmail
from storage.repo_delivery import EMAIL_INSERT, email_values
from tests.delivery_servers import MailServer
from tests.helpers import Crm

ROOT = Path(__file__).resolve().parents[1]
MAILS = 60
WAIT_S = 120  # an upper bound for a loaded machine, not a timing assertion


def start_worker(target: str, port: int) -> subprocess.Popen[bytes]:
    """The lease bounds the wait for the cut message after the restart, and a third of it is the
    SMTP timeout: 6 s gives 2 s. A 1 s lease gave 0.33 s, which a loaded machine exceeded once; that
    send then failed, as it should, with "connection lost", and the count at the end was one short."""
    args = [sys.executable, "-c", "import cli; cli.main()", "worker", "--db", target, "--lease", "6", "--idle", "0.05"]
    env = os.environ | {
        "CRM_CONFIG": str(ROOT / "no-such-config.toml"),
        "CRM_SMTP_HOST": "127.0.0.1",
        "CRM_SMTP_PORT": str(port),
        "CRM_SMTP_STARTTLS": "0",
    }
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def scalar(crm: Crm, sql: str) -> int:
    with crm.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def outcomes(crm: Crm) -> list[tuple[str, str | None, int]]:
    """Each status and error with its count: what a failed count says about the messages."""
    with crm.engine.connect() as conn:
        sql = "SELECT status, error, count(*) FROM email_outbox GROUP BY status, error"
        return [(r[0], r[1], r[2]) for r in conn.execute(text(sql))]


def wait_for(condition: Callable[[], bool], workers: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        for w in workers:
            assert w.poll() is None, (w.stderr.read() if w.stderr else b"").decode()
        assert time.monotonic() < deadline, "the condition did not come true"
        time.sleep(0.02)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_no_mail_is_sent_twice_after_a_kill(crm: Crm) -> None:
    mail = MailServer(delay=0.03).start()  # a slow server: the kill often lands inside a send
    now = crm.clock.now()
    with crm.engine.begin() as conn:
        for i in range(MAILS):
            conn.execute(EMAIL_INSERT, email_values(NewEmail(f"c{i}@example.org", f"s{i}", f"b{i}", "client", now)))
    count = 2 if crm.engine_name == "postgresql" else 1
    workers = [start_worker(crm.target, mail.port) for _ in range(count)]
    sending = "SELECT count(*) FROM email_outbox WHERE status = 'sending'"
    try:
        wait_for(lambda: len(mail.mails) >= MAILS // 4, workers)
        while True:  # frozen (SIGSTOP) while a message is marked 'sending', then killed
            for w in workers:
                w.send_signal(signal.SIGSTOP)
            if scalar(crm, sending) > 0:
                break
            for w in workers:
                w.send_signal(signal.SIGCONT)
            time.sleep(0.005)
        for w in workers:
            w.send_signal(signal.SIGKILL)
        for w in workers:
            w.wait()
        cut = scalar(crm, sending)
        assert 1 <= cut <= count  # one message in flight per worker at most: at most once costs no more

        workers = [start_worker(crm.target, mail.port) for _ in range(count)]
        left = "SELECT count(*) FROM email_outbox WHERE status IN ('queued', 'sending')"
        wait_for(lambda: scalar(crm, left) == 0, workers)
    finally:
        for w in workers:
            if w.poll() is None:
                w.terminate()
                w.wait()
        mail.stop()
    assert max(mail.counts().values()) == 1  # never twice
    sent = scalar(crm, "SELECT count(*) FROM email_outbox WHERE status = 'sent'")
    failed = scalar(crm, f"SELECT count(*) FROM email_outbox WHERE status = 'failed' AND error = '{UNKNOWN_OUTCOME}'")
    assert (sent, failed) == (MAILS - cut, cut), outcomes(crm)
    assert sent <= len(mail.mails) <= sent + cut  # a cut send may or may not have reached the server
