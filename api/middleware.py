"""Pure ASGI middleware: security headers, a body-size limit, and a guard that answers 500
without details and logs only the exception's type, place and the request id."""

from __future__ import annotations

import itertools
import json
import logging
import os
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import describe, request_id

log = logging.getLogger("crm.api")

MAX_BODY_BYTES = 64 * 1024

# Every answer: nothing cached, no type sniffing, no referrer, never framed, no active content.
HEADERS: list[tuple[bytes, bytes]] = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
API_CSP = b"default-src 'none'; frame-ancestors 'none'"


async def send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class SecurityHeaders:
    """Adds HEADERS to every answer, and a CSP unless the route set its own (the docs pages)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body passes the limit; FastAPI passes HTTPExceptions through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


class BodyLimit:
    """Refuses bodies over `limit` bytes with 413: at once when Content-Length says so, otherwise
    as soon as the streamed chunks add up past it, before the whole body is read. `larger`: path
    prefixes with a limit of their own (file uploads)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES, larger: tuple[tuple[str, int], ...] = ()) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = next((n for prefix, n in self.larger if path.startswith(prefix)), self.limit)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await self._refuse(send, limit)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        message = f"The request body is larger than {limit} bytes."
        await send_json(send, 413, {"error": "too_large", "message": message})


class _RequestIds:
    """16 hex digits unique per request: a random prefix per process (renewed in a forked child)
    and a counter. `uuid4` per request cost an `os.urandom` call each."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self._prefix = os.urandom(4).hex()
        self._count = itertools.count(int.from_bytes(os.urandom(3)))

    def __call__(self) -> str:
        return f"{self._prefix}{next(self._count) & 0xFFFFFFFF:08x}"


new_request_id = _RequestIds()


class RequestGuard:
    """Gives each request an id (in the logs and the `X-Request-Id` answer header) and turns any
    unexpected exception into a 500 `{"error": "internal"}` naming that id, logged without details."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = new_request_id()
        token = request_id.set(rid)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # The route's template, not the path or the query: they may hold personal data.
            route = getattr(scope.get("route"), "path", "?")
            log.error("unexpected %s on %s %s (request %s)", describe(exc), scope.get("method"), route, rid)
            if started:
                raise RuntimeError(f"request {rid} failed after its answer began") from None
            await send_json(
                send_with_id, 500, {"error": "internal", "message": f"Internal server error (request {rid})."}
            )
        finally:
            request_id.reset(token)
