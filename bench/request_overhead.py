"""The API's own per-request Python cost on the event loop: the whole ASGI app (middleware, route
matching, dependencies, the answer) for the hot routes, with the store work replaced by a canned
answer (`ConsoleUnit.run`, no thread hop, no SQL), and the access log line uvicorn would write.

    .venv/bin/python bench/request_overhead.py                 # this tree
    PYTHONPATH=/tmp/old .venv/bin/python /tmp/old/bench/request_overhead.py   # another tree

Prints the least CPU µs per request of 7 batches (the machine is shared); the partner is a bare
FastAPI app with one `async` route answering the same bytes, timed by the same loop in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAVE = {
    "client_id": 123,
    "campaign_id": 1,
    "started_at": "2026-10-01T10:00:00+03:00",
    "result": "agreed",
}
HOT = [
    ("POST", "/api/v1/clients/123/calls/start", b"", {"campaign_id": 1}),
    ("POST", "/api/v1/calls", b"", SAVE),
    ("GET", "/api/v1/clients", b"q=89121234567", None),
]


class _Canned:
    def model_dump_json(self) -> str:
        return "{}"


async def _canned_run(_self: object, _operation: object) -> object:
    return _Canned() if _CANNED["list"] is False else []


_CANNED = {"list": False}


def _scope(method: str, path: str, query: bytes, body: bytes) -> dict[str, object]:
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"authorization", b"Bearer " + b"t" * 43),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": headers,
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "state": {},
    }


async def _time(app, method: str, path: str, query: bytes, body: bytes, rounds: int, access: logging.Logger) -> float:  # type: ignore[no-untyped-def]
    status: list[int] = []

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])  # type: ignore[arg-type]

    batches = []
    for _ in range(7):
        start = time.process_time()
        for _ in range(rounds):
            sent = False

            async def receive() -> dict[str, object]:
                nonlocal sent
                if sent:
                    return {"type": "http.disconnect"}
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            await app(_scope(method, path, query, body), receive, send)
            # uvicorn's access line (httptools_impl), through the configured logger
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", method, path, "1.1", status[-1])
        batches.append((time.process_time() - start) / rounds * 1e6)
    assert set(status) <= {200, 201}, f"{method} {path}: {sorted(set(status))}"
    return min(batches)


def _access_logger() -> logging.Logger:
    """uvicorn's access logger as `crm serve` configures it, writing to memory."""
    import logging.config

    from api.logs import uvicorn_log_config

    config = uvicorn_log_config()
    config["handlers"]["access"]["stream"] = io.StringIO()
    config["handlers"]["default"]["stream"] = io.StringIO()
    logging.config.dictConfig(config)
    return logging.getLogger("uvicorn.access")


def main(argv: list[str] | None = None) -> int:
    from fastapi import FastAPI, Response

    from api import deps
    from api.app import create_app
    from storage.engine import make_engine
    from storage.migrate import upgrade

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--no-log", action="store_true", help="leave the access log line out")
    args = parser.parse_args(argv)
    deps.ConsoleUnit.run = _canned_run  # type: ignore[method-assign,assignment]
    access = _access_logger()
    if args.no_log:
        access.disabled = True
    bare = FastAPI()

    @bare.post("/api/v1/clients/123/calls/start")
    @bare.post("/api/v1/calls")
    @bare.get("/api/v1/clients")
    async def _bare() -> Response:
        return Response("{}", media_type="application/json")

    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "crm.sqlite3")
        engine = make_engine(target)
        upgrade(engine)
        engine.dispose()
        app = create_app(target)
        print(f"{'route':40} {'app µs':>8} {'bare µs':>8}")
        for method, path, query, payload in HOT:
            body = json.dumps(payload).encode() if payload is not None else b""
            _CANNED["list"] = method == "GET"
            ours = asyncio.run(_time(app, method, path, query, body, args.rounds, access))
            partner = asyncio.run(_time(bare, method, path, query, body, args.rounds, access))
            print(f"{method + ' ' + path:40} {ours:8.1f} {partner:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
