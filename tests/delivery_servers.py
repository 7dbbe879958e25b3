"""Real servers for the delivery tests: an SMTP server (aiosmtpd) and an HTTP SMS gateway
(http.server) that can be taken down (SMTP stopped; the gateway answering 503) and brought up."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.pg import free_port


class MailServer:
    """aiosmtpd on 127.0.0.1; `mails` the received messages (Message-ID, to, subject, body)."""

    def __init__(self, delay: float = 0.0, rcpt_delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay  # before the answer to DATA's end
        self.rcpt_delay = rcpt_delay  # before the answer to each RCPT
        self.mails: list[dict[str, str]] = []
        self.controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        mail = message_from_bytes(envelope.content, policy=policy.default)
        body = mail.get_content()  # type: ignore[attr-defined]
        self.mails.append(
            {"id": str(mail["Message-ID"]), "to": envelope.rcpt_tos[0], "subject": str(mail["Subject"]), "body": body}
        )
        return "250 OK"

    def start(self) -> MailServer:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def counts(self) -> Counter[str]:
        return Counter(m["id"] for m in self.mails)


class Gateway:
    """A JSON SMS gateway: 200 and the message kept while up, 503 while `down`; each answer
    `delay` seconds late."""

    def __init__(self) -> None:
        self.down = False
        self.delay = 0.0
        self.received: list[dict[str, str]] = []
        self.keys: list[str] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(gateway.delay)
                if gateway.down:
                    self.send_response(503)
                else:
                    gateway.received.append(body)
                    gateway.keys.append(self.headers.get("Idempotency-Key", ""))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Gateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def counts(self) -> Counter[str]:
        return Counter(m["id"] for m in self.received)
