"""The outboxes' adapters (`core.delivery.sender.Sender`): SMTP for e-mail (stdlib smtplib), an
HTTP gateway for SMS (httpx), and "log only" (the default of both: the message id, never the
address or the text). Each says whether a failed send may have left (core.delivery.sender)."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import threading
from contextlib import suppress
from email.message import EmailMessage
from email.utils import make_msgid

import httpx

from core.delivery.sender import Outcome, Outgoing, Sender, SendFailed
from core.settings import Delivery

log = logging.getLogger("crm.delivery")


class LogSender:
    """Delivers to the log: the id only (a demo or a machine with no gateway)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Outgoing) -> None:
        log.info("%s %s: log-only delivery (no gateway configured)", message.channel, message.id)


class SmtpSender:
    channel = "email"

    def __init__(self, config: Delivery, timeout: float) -> None:
        self.config = config
        self.timeout = timeout

    def _message(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.config.smtp_from
        mail["To"] = message.to
        mail["Subject"] = message.subject or ""
        mail["Message-ID"] = make_msgid(idstring=message.key, domain="crm-console")
        mail.set_content(message.text)
        return mail

    def send(self, message: Outgoing) -> None:
        with _Deadline(self.timeout) as deadline:
            self._send(message, deadline)

    def _send(self, message: Outgoing, deadline: _Deadline) -> None:
        c = self.config
        try:  # nothing has left before the message's DATA: any failure here may be retried
            smtp = _Smtp(deadline, c.smtp_host, c.smtp_port, timeout=self.timeout)
            if c.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if c.smtp_user:
                smtp.login(c.smtp_user, c.smtp_password)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"SMTP server unavailable: {type(exc).__name__}") from None
        with smtp:
            try:
                smtp.send_message(self._message(message))
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                raise SendFailed(f"SMTP refused the recipient ({codes[0]})", _by_code(codes[0])) from None
            except smtplib.SMTPResponseException as exc:  # sender refused, data refused: the server's code
                raise SendFailed(f"SMTP refused the message ({exc.smtp_code})", _by_code(exc.smtp_code)) from None
            except (OSError, smtplib.SMTPException) as exc:  # cut during DATA: the server may have it
                raise SendFailed(f"SMTP connection lost: {type(exc).__name__}", "unknown") from None


class _Deadline:
    """The whole send within `seconds`: smtplib's timeout bounds each read and write, not the
    send, and a send that outlived its lease would be judged cut by another worker. When the time
    is up the connection's socket is shut down, and the send fails as any lost connection does."""

    def __init__(self, seconds: float) -> None:
        self.lock = threading.Lock()
        self.passed = False
        self.sockets: list[socket.socket] = []  # the connection's, then its TLS wrapper (smtp.sock)
        self.smtp: smtplib.SMTP | None = None
        self.timer = threading.Timer(seconds, self.cut)
        self.timer.daemon = True

    def cut(self) -> None:
        with self.lock:
            self.passed = True
            current = self.smtp.sock if self.smtp is not None else None
            for sock in {*self.sockets, *([current] if current is not None else [])}:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.cancel()


class _Smtp(smtplib.SMTP):
    """smtplib.SMTP whose socket, once connected, the deadline can shut down."""

    def __init__(self, deadline: _Deadline, *args: object, **kwargs: object) -> None:
        self.deadline = deadline
        deadline.smtp = self
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        with self.deadline.lock:
            if self.deadline.passed:
                sock.close()
                raise TimeoutError("the send's time ran out while connecting")
            self.deadline.sockets.append(sock)
        return sock


def _by_code(code: int) -> Outcome:
    return "retry" if 400 <= code < 500 else "permanent"


class GatewaySender:
    """A JSON POST {id, to, text} with the bearer token and `Idempotency-Key` (the message's key:
    a gateway honouring it drops a repeat)."""

    channel = "sms"

    def __init__(self, config: Delivery, timeout: float) -> None:
        headers = {"Authorization": f"Bearer {config.sms_gateway_token}"} if config.sms_gateway_token else {}
        self.url = config.sms_gateway_url
        # a third of the send's time for each of connecting, sending and reading the answer: a
        # gateway's short answer comes in one read, so the whole send ends within `timeout`
        self.client = httpx.Client(timeout=timeout / 3, headers=headers)

    def send(self, message: Outgoing) -> None:
        body = {"id": message.key, "to": message.to, "text": message.text}
        try:
            answer = self.client.post(self.url, json=body, headers={"Idempotency-Key": message.key})
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise SendFailed(f"SMS gateway unavailable: {type(exc).__name__}") from None
        except httpx.HTTPError as exc:  # the request may have reached it
            raise SendFailed(f"SMS gateway did not answer: {type(exc).__name__}", "unknown") from None
        status = answer.status_code
        if status < 300:
            return
        if status in (408, 425, 429) or status >= 500:  # it refused now; the key makes a repeat safe
            raise SendFailed(f"SMS gateway answered {status}")
        raise SendFailed(f"SMS gateway refused the message ({status})", "permanent")


def senders_from(config: Delivery, timeout: float) -> list[Sender]:
    """E-mail through SMTP when a host is set, SMS through the gateway when a URL is; else the log."""
    email = SmtpSender(config, timeout) if config.smtp_host else LogSender("email")
    sms = GatewaySender(config, timeout) if config.sms_gateway_url else LogSender("sms")
    return [sms, email]
