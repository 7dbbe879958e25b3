"""The outboxes' adapters (`core.delivery.sender.Sender`): SMTP for e-mail (stdlib smtplib), an
HTTP gateway for SMS (httpx), and "log only" (the default of both: the message id, never the
address or the text). Each says whether a failed send may have left (core.delivery.sender)."""

from __future__ import annotations

import logging
import smtplib
import ssl
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
        c = self.config
        try:  # nothing has left before the message's DATA: any failure here may be retried
            smtp = smtplib.SMTP(c.smtp_host, c.smtp_port, timeout=self.timeout)
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


def _by_code(code: int) -> Outcome:
    return "retry" if 400 <= code < 500 else "permanent"


class GatewaySender:
    """A JSON POST {id, to, text} with the bearer token and `Idempotency-Key` (the message's key:
    a gateway honouring it drops a repeat)."""

    channel = "sms"

    def __init__(self, config: Delivery, timeout: float) -> None:
        headers = {"Authorization": f"Bearer {config.sms_gateway_token}"} if config.sms_gateway_token else {}
        self.url = config.sms_gateway_url
        self.client = httpx.Client(timeout=timeout, headers=headers)

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
