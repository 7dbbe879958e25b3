"""`crm serve`: the API under uvicorn, on SQLite for a small office or PostgreSQL for a team."""

from __future__ import annotations

import argparse
import inspect
import os

from api.app import TARGET_ENV, create_app
from api.logs import uvicorn_log_config

WORKER_START_TIMEOUT_S = 60


def proxy_options(trusted_proxies: str) -> dict[str, object]:
    """uvicorn believes X-Forwarded-For only from the listed proxies (comma-separated addresses);
    with none listed it believes no one, so the per-address sign-in limit sees the real peer."""
    trusted = ",".join(p.strip() for p in trusted_proxies.split(",") if p.strip())
    return {"proxy_headers": True, "forwarded_allow_ips": trusted} if trusted else {"proxy_headers": False}


def serve(target: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, trusted_proxies: str = "") -> None:
    """Run the API; several workers may serve one PostgreSQL database (each opens its own pool).

    Every worker logs through api.logs' filters: no query strings, no exception details."""
    import uvicorn

    proxies = proxy_options(trusted_proxies)

    if workers > 1:
        os.environ[TARGET_ENV] = target
        create_app(target).state.crm.repo.engine.dispose()  # fail here, once, if the database is not usable
        extra = {}
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
            # A worker that imports the app on a busy machine may need more than the default 5 s.
            extra["timeout_worker_healthcheck"] = WORKER_START_TIMEOUT_S
        uvicorn.run(
            "api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=uvicorn_log_config(),
            **extra,
            **proxies,  # type: ignore[arg-type]
        )
    else:
        from core.settings import load_settings

        uvicorn.run(
            create_app(target, worker=load_settings().worker),
            host=host,
            port=port,
            log_level="info",
            log_config=uvicorn_log_config(),
            **proxies,  # type: ignore[arg-type]
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.serve", description="Serve the CRM API.")
    parser.add_argument("--db", required=True, help="SQLite file or PostgreSQL URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--trusted-proxies", default="", help="addresses whose X-Forwarded-For is believed")
    args = parser.parse_args(argv)
    serve(args.db, args.host, args.port, args.workers, args.trusted_proxies)


if __name__ == "__main__":
    main()
