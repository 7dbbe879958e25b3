"""The API's thread pool and the store's connection pool have one size: no connection per request."""

from __future__ import annotations

import anyio
from anyio import to_thread

from api.app import API_THREADS, create_app


def test_the_connection_pool_matches_the_thread_pool(sqlite_store: str) -> None:
    app = create_app(sqlite_store)

    async def started() -> int:
        async with app.router.lifespan_context(app):
            return to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(started) == API_THREADS
    assert app.state.crm.repo.engine.pool.size() == API_THREADS
