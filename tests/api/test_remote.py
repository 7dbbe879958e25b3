"""The thin client when the server is dead, slow, or restarted."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import NotFound, StoreUnavailable
from storage.remote import RemoteConsole
from tests.api.world import ApiServer, World
from tests.pg import free_port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_a_dead_server_is_a_clear_store_unavailable() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with RemoteConsole(url) as console, pytest.raises(StoreUnavailable) as dead:
        console.sign_in("op_a", "x")
    assert url in dead.value.message and "reach" in dead.value.message


def test_a_slow_server_is_a_clear_store_unavailable(silent_port: int) -> None:
    with RemoteConsole(f"http://127.0.0.1:{silent_port}", timeout=0.3) as console:
        with pytest.raises(StoreUnavailable) as slow:
            console.search("Иванов")
        assert "did not answer within 0.3 s" in slow.value.message


def test_the_session_survives_a_server_restart(sqlite_world: World, tmp_path: Path) -> None:
    card = sqlite_world.client("A")
    server = ApiServer(sqlite_world.target, tmp_path / "api.log").start()
    try:
        console = RemoteConsole(server.url, timeout=5)
        challenge = console.sign_in("op_a", "s3cret-Pass")
        console.verify_code(challenge.challenge_id, sqlite_world.crm.last_code("op_a"))
        assert console.open_card(card.id).id == card.id
        server.stop()
        with pytest.raises(StoreUnavailable):
            console.open_card(card.id)
        server.start(port=server.port)  # back on the same address
        assert console.open_card(card.id).id == card.id  # the token lives in the database, not the process
    finally:
        server.stop()


@pytest.mark.parametrize("world", ["sqlite"], indirect=True)
def test_the_server_log_holds_no_searched_phone_or_masked_value(world: World) -> None:
    """On the shared world's server: its whole log so far is searched."""
    card = world.client("A", email="log.secret@example.org")
    phone = card.phones[0].number
    with world.remote("op_a", timeout=5) as console:
        assert [s.id for s in console.search(phone)] == [card.id]
        console.open_card(card.id)
        console.send_sms(card.id, "callback", phone_id=card.phones[0].id)
        with pytest.raises(NotFound):
            console.open_card(2_000_000_000)
    text = world.server.log.read_text(errors="replace")
    assert "GET /api/v1/clients?" in text  # the access log is there, without its query
    assert phone[2:] not in text and "log.secret" not in text
