"""Route matching of the API: the time from the app's router receiving a request to the matched
route's handler, per hot route, with the handler replaced by a stop (nothing else is timed).

    .venv/bin/python bench/route_match.py            # a throw-away SQLite database
    .venv/bin/python bench/route_match.py --rounds 20000

Prints the median µs per route; the partner is a bare Starlette `Route` list of the same paths,
matched by the same loop in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOT = [
    ("POST", "/api/v1/clients/123/calls/start"),
    ("POST", "/api/v1/calls"),
    ("GET", "/api/v1/clients"),
    ("GET", "/api/v1/clients/123"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/health"),
]


class _Found(Exception):
    pass


async def _stop(*_args: object) -> None:
    raise _Found


def _scope(method: str, path: str) -> dict[str, object]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "app": None,
    }


async def _time(router, method: str, path: str, rounds: int) -> float:  # type: ignore[no-untyped-def]
    """Median µs of 5 batches of `rounds` matches."""

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(_message: object) -> None:
        raise AssertionError(f"{method} {path} answered without reaching its route")

    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            with contextlib.suppress(_Found):
                await router(_scope(method, path), receive, send)
        batches.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(batches)


def main(argv: list[str] | None = None) -> int:
    from fastapi.routing import APIRoute
    from starlette.routing import Route, Router

    from api.app import create_app
    from storage.engine import make_engine
    from storage.migrate import upgrade

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "crm.sqlite3")
        engine = make_engine(target)
        upgrade(engine)
        engine.dispose()
        app = create_app(target)
        APIRoute.handle = _stop  # type: ignore[method-assign]
        Route.handle = _stop  # type: ignore[method-assign]
        flat = Router(routes=[Route(p, _stop) for p in app.openapi()["paths"]])  # every path, in order
        print(f"{'route':45} {'app µs':>8} {'bare µs':>8}")
        for method, path in HOT:
            ours = asyncio.run(_time(app.router, method, path, args.rounds))
            bare = asyncio.run(_time(flat, "GET", path, args.rounds))
            print(f"{method + ' ' + path:45} {ours:8.1f} {bare:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
