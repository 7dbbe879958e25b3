"""Many operators, one server, nothing lost, nothing doubled — with the server killed (-9) mid-way.

20 remote consoles save concurrently through a 2-worker uvicorn on PostgreSQL (and on SQLite):
personal edits on one shared card (optimistic versions), SMS with Idempotency-Keys retried until
they get an answer, and comments. Half-way through, the server's whole process group gets SIGKILL
and is started again on the same port; the consoles see StoreUnavailable and retry.

Afterwards: the card's version equals 1 + the edits committed, each committed edit left exactly
one audit row, every edit a console was told succeeded is among them (no lost update); each SMS
key produced exactly one outbox row however often it was retried (no double send).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.clients.inputs import PersonalEdit
from core.errors import Conflict, StoreUnavailable
from storage.remote import RemoteConsole
from tests.api.world import ApiServer, World

CLIENTS = 20
ROUNDS = 12
DEADLINE_S = 300.0  # bounds a hang only: a loaded machine may take minutes


def letters(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


@dataclass
class Tally:
    edits_confirmed: list[str] = field(default_factory=list)
    sms_keys: list[str] = field(default_factory=list)
    comments_confirmed: int = 0
    comments_unknown: int = 0  # failed in flight: may or may not have been saved
    conflicts: int = 0
    outages: int = 0
    errors: list[str] = field(default_factory=list)  # what ended an operator's thread early
    lock: threading.Lock = field(default_factory=threading.Lock)
    under_way: threading.Event = field(default_factory=threading.Event)  # CLIENTS SMS confirmed


def retry(call, tally: Tally, deadline: float):  # type: ignore[no-untyped-def]
    """Call until the server answers (StoreUnavailable = down or restarting)."""
    while True:
        try:
            return call()
        except StoreUnavailable:
            with tally.lock:
                tally.outages += 1
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # back off while the server is down


def operator(world: World, url: str, number: int, card_id: int, phone_id: int, tally: Tally) -> None:
    try:
        work(world, url, number, card_id, phone_id, tally)
    except Exception as exc:  # the test says which operator stopped and why, not only a short count
        with tally.lock:
            tally.errors.append(f"operator {number}: {type(exc).__name__}: {exc}")
        raise


def work(world: World, url: str, number: int, card_id: int, phone_id: int, tally: Tally) -> None:
    deadline = time.monotonic() + DEADLINE_S
    console = RemoteConsole(url, timeout=10)
    login = "off_a" if number % 2 else "sup"

    def sign_in() -> None:
        challenge = console.sign_in(login, "s3cret-Pass")
        console.verify_code(challenge.challenge_id, world.crm.last_code(login))

    with world_lock:  # the code is read from the outbox: one sign-in of a login at a time
        retry(sign_in, tally, deadline)
    for i in range(ROUNDS):
        step = i % 3
        if step == 0:  # personal edit with the version of a fresh read; Conflict means someone was first
            surname = f"Правкин-{letters(number * 1000 + i)}"
            card = retry(lambda: console.open_card(card_id, history_limit=0), tally, deadline)
            edit = PersonalEdit(surname=surname, first_name="Общий", expected_version=card.personal_version)
            try:
                console.edit_personal(card_id, edit)
            except Conflict:
                with tally.lock:
                    tally.conflicts += 1
            except StoreUnavailable:
                pass  # unknown outcome; the audit trail tells
            else:
                with tally.lock:
                    tally.edits_confirmed.append(surname.capitalize())
        elif step == 1:  # an SMS, retried with its key until answered
            key = f"conc-{uuid.uuid4()}"
            retry(
                lambda key=key: console.send_sms(card_id, "callback", phone_id=phone_id, idempotency_key=key),
                tally,
                deadline,
            )
            with tally.lock:
                tally.sms_keys.append(key)
                if len(tally.sms_keys) >= CLIENTS:
                    tally.under_way.set()
        else:
            try:
                console.add_comment(card_id, f"c{number}-{i}")
            except StoreUnavailable:
                with tally.lock:
                    tally.comments_unknown += 1
            else:
                with tally.lock:
                    tally.comments_confirmed += 1
    console.close()


world_lock = threading.Lock()


@pytest.mark.parametrize("world", ["postgresql", "sqlite"], indirect=True)
def test_twenty_operators_and_a_kill_9_lose_nothing_and_double_nothing(world: World, tmp_path: Path) -> None:
    card = world.client("A", surname="Общий", first_name="Общий")
    server = ApiServer(world.target, tmp_path / "api.log", workers=2).start()
    tally = Tally()
    try:
        threads = [
            threading.Thread(target=operator, args=(world, server.url, n, card.id, card.phones[0].id, tally))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        # kill -9 the server (master and workers) once the saving is well under way
        tally.under_way.wait(timeout=60)
        server.kill()
        server.start(port=server.port)
        # the workers are forks of the master, which imported the app once (a spawned worker runs
        # multiprocessing's spawn_main and imports it all again): the restart is back sooner
        argvs = server.argvs()
        master = argvs.pop(server.pid)
        assert len(argvs) == 2 and all(argv == master for argv in argvs.values()), argvs
        for thread in threads:
            thread.join(timeout=DEADLINE_S + 30)
        assert not any(t.is_alive() for t in threads)
    finally:
        server.stop()

    print(
        f"\n{world.engine_name}: confirmed edits {len(tally.edits_confirmed)}, conflicts {tally.conflicts}, sms {len(tally.sms_keys)}, comments {tally.comments_confirmed}+{tally.comments_unknown}?, outages {tally.outages}"
    )
    assert tally.errors == []
    assert tally.outages > 0, "the kill did not interrupt anyone: the test proved nothing"
    after = world.local("adm").open_card(card.id, history_limit=0)
    audits = world.crm.rows("contact_change", client_id=card.id, field="surname")
    committed = [a.new for a in audits]
    # no lost update: every committed edit moved the version once and left one audit row,
    assert after.personal_version == card.personal_version + len(committed)
    # every edit a console was told succeeded is among them, and the card shows the last one
    assert set(tally.edits_confirmed) <= set(committed)
    assert after.surname == (committed[-1] if committed else card.surname)
    # no double send: one outbox row per key, whatever the retries
    assert len(tally.sms_keys) == CLIENTS * len(range(1, ROUNDS, 3))
    assert world.outbox_count(card.id) == len(tally.sms_keys)
    sms_history = [r for r in world.crm.rows("contact", client_id=card.id) if r.kind == "sms"]
    assert len(sms_history) == len(tally.sms_keys)
    # comments are not idempotent: those lost in flight may or may not have been saved
    comments = [r for r in world.crm.rows("contact", client_id=card.id) if r.kind == "comment"]
    assert tally.comments_confirmed <= len(comments) <= tally.comments_confirmed + tally.comments_unknown
