"""`crm serve`: the API under uvicorn, on SQLite for a small office or PostgreSQL for a team."""

from __future__ import annotations

import argparse
import contextlib
import gc
import inspect
import os
import socket

from api.app import TARGET_ENV, create_app, settle_gc
from api.logs import uvicorn_log_config

WORKER_START_TIMEOUT_S = 60


def proxy_options(trusted_proxies: str) -> dict[str, object]:
    """uvicorn believes X-Forwarded-For only from the listed proxies (comma-separated addresses);
    with none listed it believes no one, so the per-address sign-in limit sees the real peer."""
    trusted = ",".join(p.strip() for p in trusted_proxies.split(",") if p.strip())
    return {"proxy_headers": True, "forwarded_allow_ips": trusted} if trusted else {"proxy_headers": False}


def serve(
    target: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    trusted_proxies: str = "",
    fd: int | None = None,
) -> None:
    """Run the API; several workers may serve one PostgreSQL database (each opens its own pool).
    `fd`: a listening socket handed over by the parent (socket activation) instead of host and
    port; connections made before the workers are up wait in its backlog.

    Every worker logs through api.logs' filters: no query strings, no exception details."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    options: dict[str, object] = {"log_level": "info", "log_config": uvicorn_log_config()}
    options |= proxy_options(trusted_proxies)
    app: object
    if workers > 1:
        os.environ[TARGET_ENV] = target
        create_app(target).state.crm.repo.engine.dispose()  # fail here, once, if the database is not usable
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
            # A worker that builds its app on a busy machine may need more than the default 5 s.
            options["timeout_worker_healthcheck"] = WORKER_START_TIMEOUT_S
        app, options = "api.app:app_from_env", options | {"factory": True, "workers": workers}
        _fork_workers()
    else:
        from core.settings import load_settings

        app = create_app(target, worker=load_settings().worker)
        settle_gc()
    if fd is None:
        uvicorn.run(app, host=host, port=port, **options)  # type: ignore[arg-type]
        return
    # What uvicorn.run does once it has bound its socket: its own `fd` option takes a Unix socket only
    config = uvicorn.Config(app, **options)  # type: ignore[arg-type]
    sock = socket.socket(fileno=fd)
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C (SIGINT) ends it quietly, as uvicorn.run
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
            return
        server.run(sockets=[sock])
    if not server.started:
        raise SystemExit(3)  # uvicorn's startup failure


def _fork_workers() -> None:
    """uvicorn's workers forked from this process instead of spawned: each starts with the app's
    modules already imported (about 2.5 s of CPU each, the same pages shared) and builds only its
    own app (`app_from_env`: its engine, pool and caches). Nothing here holds a thread or a
    connection at that point: the check above disposed its engine."""
    import multiprocessing

    import uvicorn._subprocess

    gc.freeze()  # the imported heap stays shared with the workers: no collection writes to it
    uvicorn._subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.serve", description="Serve the CRM API.")
    parser.add_argument("--db", required=True, help="SQLite file or PostgreSQL URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--trusted-proxies", default="", help="addresses whose X-Forwarded-For is believed")
    parser.add_argument("--fd", type=int, default=None, help="serve on this inherited listening socket")
    args = parser.parse_args(argv)
    serve(args.db, args.host, args.port, args.workers, args.trusted_proxies, args.fd)


if __name__ == "__main__":
    main()
