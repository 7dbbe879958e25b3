"""The per-address sign-in limit behind a reverse proxy: X-Forwarded-For is believed only from a
configured proxy (`trusted_proxies`), never from anyone else (a real uvicorn)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.serve import proxy_options
from tests.api.world import ApiServer, World

V1 = "/api/v1"
FORGED = {"X-Forwarded-For": "203.0.113.99"}


def _failed_from(world: World, server: ApiServer) -> str:
    answer = httpx.post(f"{server.url}{V1}/auth/login", json={"login": "ghost", "password": "x"}, headers=FORGED)
    assert answer.status_code == 401
    return world.crm.rows("audit_event", event="sign_in_failed")[-1].address


@pytest.mark.parametrize(("trusted", "seen"), [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.99")])
def test_forwarded_address_only_from_a_trusted_proxy(
    sqlite_world: World, tmp_path: Path, trusted: str, seen: str
) -> None:
    server = ApiServer(sqlite_world.target, tmp_path / "api.log", extra=("--trusted-proxies", trusted)).start()
    try:
        assert _failed_from(sqlite_world, server) == seen
    finally:
        server.stop()


def test_proxy_options() -> None:
    assert proxy_options("") == {"proxy_headers": False}
    assert proxy_options(" 10.0.0.1, 10.0.0.2 ") == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.1,10.0.0.2"}


def test_the_thin_client_reports_the_wait(sqlite_world: World, tmp_path: Path) -> None:
    """429 reaches the remote console as TooManyAttempts with the server's Retry-After."""
    from core.access.throttle import LOGIN_AT_ADDRESS, TooManyAttempts
    from core.errors import AuthFailed
    from storage.remote import RemoteConsole

    server = ApiServer(sqlite_world.target, tmp_path / "api.log").start()
    try:
        with RemoteConsole(server.url, timeout=5) as console:
            for _ in range(LOGIN_AT_ADDRESS.free):
                with pytest.raises(AuthFailed):
                    console.sign_in("ghost", "x")
            with pytest.raises(TooManyAttempts) as refused:
                console.sign_in("ghost", "x")
        assert refused.value.retry_after_s == LOGIN_AT_ADDRESS.first_delay.total_seconds()
    finally:
        server.stop()
