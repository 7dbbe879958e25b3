"""`python -m tests.api.faulty_server --db … --port …`: `crm serve` (api.serve) with two planted
faults for the log tests. Both raise with the query (client data) in the message and in a local:

- FAULTY_ROUTE fails inside the app: the API's own guard answers 500 and logs;
- RAW_FAULT fails outside every middleware, so uvicorn itself logs "Exception in ASGI application".
"""

from __future__ import annotations

import sys
from typing import Any

import api.serve
import tests.api.served  # noqa: F401  (the tests' argon2 cost, as every server the tests start)

FAULTY_ROUTE = "/faults/handler"
RAW_FAULT = "/faults/raw"
_real_create_app = api.serve.create_app


def faulty_app(target: str, **kwargs: Any) -> Any:
    app = _real_create_app(target, **kwargs)

    @app.get(FAULTY_ROUTE, include_in_schema=False)
    def handler(q: str) -> None:
        secret = q
        raise ValueError(f"cannot handle {secret}")

    async def outermost(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == RAW_FAULT:
            secret = scope["query_string"].decode()
            raise RuntimeError(f"raw failure {secret}")
        await app(scope, receive, send)

    return outermost


if __name__ == "__main__":
    api.serve.create_app = faulty_app  # type: ignore[assignment]
    api.serve.main(sys.argv[1:])
