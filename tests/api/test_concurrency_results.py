"""Many operators saving call results through the API on PostgreSQL, with a kill -9 mid-way.

The small-scale twin of `bench/api_concurrency.py` (issue 5: 20 clients x 500 results): 20
remote consoles, each on a slice of clients of its own, start a call and save a "not reached"
result with an Idempotency-Key that it reuses on every retry (the key is also the comment, so
each row tells which key wrote it), through a 2-worker uvicorn. Once half the saves are
acknowledged the server's process group gets SIGKILL and is started again on the same port.

Afterwards: every acknowledged save is in the database exactly once, nothing was refused for
locking, and nothing is half-written: each call row has its campaign-member follow-up (attempts,
state) and its idempotency record, and no member counts an attempt without a row.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.api_concurrency import Tally, check, prepare, run_load, sign_in_all
from tests.api.world import ApiServer
from tests.pg import PostgresServer

OPERATORS = 20
SAVES = 10
DEADLINE_S = 90.0


@pytest.fixture
def pg_target(pg_server: PostgresServer, pg_template: str) -> Iterator[str]:
    name = f"crm_conc_results_{os.getpid()}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.drop_database(name)


def test_twenty_operators_save_results_through_a_kill_9_exactly_once(pg_target: str, tmp_path: Path) -> None:
    plan = prepare(pg_target, OPERATORS, SAVES)
    server = ApiServer(pg_target, tmp_path / "api.log", workers=2).start()
    tally = Tally()
    consoles = []
    try:
        consoles = sign_in_all(server.url, pg_target, plan, timeout=10)

        def kill_and_restart() -> None:
            server.kill()
            tally.down.wait(timeout=10)  # a console ran into the dead port: the kill interrupted work
            server.start(port=server.port)

        seconds = run_load(consoles, plan, tally, DEADLINE_S, kill_at=OPERATORS * SAVES // 2, kill=kill_and_restart)
    finally:
        for console in consoles:
            console.close()
        server.stop()
    result = check(pg_target, plan, tally)
    print(
        f"\nacknowledged {len(tally.acknowledged)}, rows {result.rows}, refusals {dict(tally.refusals)}, "
        f"outages {tally.outages}, {seconds:.1f} s"
    )

    assert tally.outages > 0, "the kill did not interrupt anyone: the test proved nothing"
    assert tally.given_up == [], tally.refused_messages
    assert tally.refusals["locking"] == 0, tally.refused_messages
    # every save was acknowledged, and each acknowledged key is in the database exactly once
    assert len(tally.acknowledged) == len(set(tally.acknowledged)) == OPERATORS * SAVES
    assert result.rows == len(tally.acknowledged)
    assert result.duplicates == 0
    assert result.lost == []
    assert result.unacknowledged == 0
    assert result.foreign_rows == 0
    # nothing half-written: each row has its member follow-up and its idempotency record
    assert result.member_mismatch == 0
    assert result.idempotency_records == result.rows
    assert result.problems(tally) == []
