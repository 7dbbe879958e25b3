"""The fuzz's in-process client: the requests schemathesis's ASGI client builds, the same ASGI
scope and body it gives the app, run on one event loop in the calling thread for the whole test.

schemathesis's own client (`schemathesis.python.asgi`) runs every call on a shared loop thread
through an anyio portal: two thread hops per call, and a urllib3 response read back in chunks.
Here `requests` still prepares each request (URL, query, headers, body: the bytes are its), the
scope is built as that client builds it (`host`, latin-1 headers, `client` = testclient:50000),
and each app's lifespan runs on the loop from `start` to `close`."""

from __future__ import annotations

import asyncio
import http
import io
import types
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
import requests
import requests.adapters
import urllib3
from schemathesis.python.asgi import HOST, ASGIClient

Message = dict[str, Any]
App = Callable[..., Any]


class AppLoop:
    """An event loop in this thread and one task on it for the whole test, whose task group runs
    each request and each app's lifespan as a task of its own, as a server's does. anyio takes
    that task for the root of the worker threads the app's sync code runs in: they stay until
    `close` (with a request run as a root task of its own, each request started a new thread)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._lifespans: dict[int, _Lifespan] = {}
        self._jobs: asyncio.Queue[Callable[[], Awaitable[None]] | None] = asyncio.Queue()
        ready = self.loop.create_future()
        self._server = self.loop.create_task(self._serve(ready))
        self.loop.run_until_complete(ready)

    async def _serve(self, ready: asyncio.Future[None]) -> None:
        async with anyio.create_task_group() as group:
            ready.set_result(None)
            while (job := await self._jobs.get()) is not None:
                group.start_soon(job)

    def run(self, coroutine: Awaitable[Any]) -> Any:
        """The coroutine's result, run as a task of the server's group; the loop runs until it is done."""
        done = self.loop.create_future()

        async def job() -> None:
            try:
                result = await coroutine
            except BaseException as error:  # the caller's to handle, not the group's
                done.set_exception(error)
            else:
                done.set_result(result)

        self._jobs.put_nowait(job)
        return self.loop.run_until_complete(done)  # a future, not a task: no root task of its own

    def start(self, app: App) -> None:
        if id(app) not in self._lifespans:
            lifespan = _Lifespan(app)
            self._lifespans[id(app)] = lifespan
            self._jobs.put_nowait(lifespan.serve)
            self.run(lifespan.step("startup"))

    def state(self, app: App) -> dict[str, Any]:
        """What the app's lifespan left in its state, copied per request as an ASGI server does."""
        lifespan = self._lifespans.get(id(app))
        return dict(lifespan.state) if lifespan is not None else {}

    def client(self, app: App) -> LoopClient:
        return LoopClient(app, self)

    def close(self) -> None:
        try:
            for lifespan in self._lifespans.values():
                self.run(lifespan.step("shutdown"))
            self._jobs.put_nowait(None)
            self.loop.run_until_complete(self._server)
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self._lifespans.clear()
            self.loop.close()


class _Lifespan:
    def __init__(self, app: App) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message | None] = asyncio.Queue()
        self.error: BaseException | None = None
        self.ended = False

    async def serve(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        try:
            await self.app(scope, self.inbox.get, self.outbox.put)
        except Exception as error:  # told to whoever waits for the next step
            self.error = error
        finally:
            self.ended = True
            await self.outbox.put(None)

    async def step(self, phase: str) -> None:
        """Sends the phase's message; raises what the app failed with (once), or its failure message."""
        if not self.ended:
            await self.inbox.put({"type": f"lifespan.{phase}"})
            message = await self.outbox.get()
            if message is not None:
                if message["type"] == f"lifespan.{phase}.failed":
                    raise RuntimeError(message.get("message") or f"the app's lifespan {phase} failed")
                return
        error, self.error = self.error, None
        if error is not None:
            raise error


class LoopClient(ASGIClient):
    """schemathesis's ASGI client (a `requests` session) whose calls run on an `AppLoop`; the
    environment (proxies, .netrc) is not consulted."""

    def __init__(self, app: App, loop: AppLoop) -> None:
        super().__init__(app)
        self.adapter = LoopAdapter(app, loop)  # type: ignore[assignment]
        self.mount("http://", self.adapter)
        self.mount("https://", self.adapter)
        self.trust_env = False

    def __enter__(self) -> LoopClient:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()


class _OriginalResponse:
    """What `requests` reads a response's cookies from (`msg.get_all`)."""

    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.msg = self
        self.headers = headers

    def get_all(self, name: str, default: list[str] | None = None) -> list[str] | None:
        return [value for key, value in self.headers if key.lower() == name.lower()] or default

    def isclosed(self) -> bool:
        return True

    def close(self) -> None:
        pass


class LoopAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, app: App, loop: AppLoop) -> None:
        super().__init__()
        self.app = app
        self.apps = loop

    def send(self, request: requests.PreparedRequest, *args: Any, timeout: Any = None, **kwargs: Any) -> Any:
        scope = self._scope(request)
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        try:
            status, headers, body = self.apps.run(_exchange(self.app, scope, request.body, read_timeout))
        except TimeoutError:
            raise requests.exceptions.ReadTimeout(f"Read timed out. (read timeout={read_timeout})") from None
        if any(name.lower() == "content-type" and "text/event-stream" in value.lower() for name, value in headers):
            raise NotImplementedError("event streams are not read by the in-process client")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(body),
            headers=headers,
            status=status,
            version=11,
            reason=_reason_phrase(status),
            preload_content=False,
            original_response=_OriginalResponse(headers),
            request_method=request.method,
        )
        response = self.build_response(request, raw)
        if not response.headers.get("content-encoding"):
            response._content = body  # what reading `raw` back would give, without the chunked read
        return response

    def _scope(self, request: requests.PreparedRequest) -> dict[str, Any]:
        parts = urlsplit(str(request.url))
        default_port = {"http": 80, "https": 443}[parts.scheme]
        host = parts.hostname or ""
        port = parts.port or default_port
        header_host = f"[{host}]" if ":" in host else host
        if "host" in request.headers:
            headers: list[tuple[bytes, bytes]] = []
        elif port == default_port:
            headers = [(b"host", header_host.encode())]
        else:
            headers = [(b"host", f"{header_host}:{port}".encode())]
        headers += [(key.lower().encode("latin-1"), value.encode("latin-1")) for key, value in request.headers.items()]
        return {
            "type": "http",
            "http_version": "1.1",
            "method": request.method,
            "path": unquote(parts.path),
            "raw_path": parts.path.encode(),
            "root_path": "",
            "scheme": parts.scheme,
            "query_string": parts.query.encode(),
            "headers": headers,
            "client": ["testclient", 50000],
            "server": [host, port],
            "state": self.apps.state(self.app),
        }


async def _exchange(
    app: App, scope: dict[str, Any], body: Any, timeout: float | None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request through the app: its status, headers (latin-1) and body (none for HEAD)."""
    chunks = _chunks(body)
    complete = asyncio.Event()
    started: list[Any] = []
    received = io.BytesIO()

    async def receive() -> Message:
        if chunks:
            chunk, more = chunks.pop(0), bool(chunks)
            return {"type": "http.request", "body": chunk, "more_body": more} if more else _last(chunk)
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            assert not started, 'Received multiple "http.response.start" messages.'
            started.append(message["status"])
            started.append([(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])])
        elif message["type"] == "http.response.body":
            assert started, 'Received "http.response.body" without "http.response.start".'
            assert not complete.is_set(), 'Received "http.response.body" after response completed.'
            if scope["method"] != "HEAD":
                received.write(message.get("body", b""))
            if not message.get("more_body", False):
                complete.set()

    with anyio.fail_after(timeout):
        await app(scope, receive, send)
    assert started, "The application did not return a response."
    return started[0], started[1], received.getvalue()


def _last(chunk: bytes) -> Message:
    return {"type": "http.request", "body": chunk}


def _chunks(body: Any) -> list[bytes]:
    """The request body as the messages schemathesis's client sends it: one, or a generator's chunks
    and an empty last one."""
    if isinstance(body, types.GeneratorType):
        return [chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in body] + [b""]
    if isinstance(body, str):
        return [body.encode("utf-8")]
    return [body or b""]


def _reason_phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def probes_to(loop: AppLoop, apps: list[App], fallback: Callable[..., ASGIClient]) -> Callable[..., ASGIClient]:
    """A `schemathesis.python.asgi.get_client` that sends the checks' own requests (the auth probes)
    to `apps` on `loop`, each through a new client as schemathesis's own does."""
    ours = {id(app) for app in apps}

    def get_client(app: App, **kwargs: Any) -> ASGIClient:
        return loop.client(app) if id(app) in ours else fallback(app, **kwargs)

    return get_client


__all__ = ["HOST", "AppLoop", "LoopClient", "probes_to"]
