"""The demo's rows made in a second process (storage.demo_pipe): the same rows, nothing half-written."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from storage import demo
from storage.demo import build_demo
from storage.demo_pipe import RowMakerStopped, RowsPlan, made_in_order, rows_beside
from storage.demo_world import Rows
from tests.test_demo import CLIENTS, digest


class _Numbers:
    """A picklable row source: each batch's client ids, then a closing row."""

    def batch_rows(self, first_id: int, count: int, long_ids: frozenset[int]) -> Rows:
        return {"client": [(i, i in long_ids) for i in range(first_id, first_id + count)]}

    def closing_rows(self) -> Rows:
        return {"booking": [(os.getpid(),)]}


class _Broken(_Numbers):
    def batch_rows(self, first_id: int, count: int, long_ids: frozenset[int]) -> Rows:
        if first_id > 1:
            os._exit(3)  # the maker dies half-way, as on an out-of-memory kill
        return super().batch_rows(first_id, count, long_ids)


PLAN = RowsPlan([(1, 3), (4, 2)], frozenset({5}))


def test_rows_made_beside_are_the_rows_made_inline_in_the_same_order() -> None:
    inline = list(made_in_order(_Numbers(), PLAN))
    with rows_beside(_Numbers(), PLAN) as batches:
        beside = list(batches)
    assert [b.get("client") for b in beside] == [b.get("client") for b in inline]
    assert beside[0]["client"] == [(1, False), (2, False), (3, False)]
    assert beside[-1]["booking"] != [(os.getpid(),)]  # made by another process


def test_a_maker_that_dies_halfway_stops_the_load_with_a_clear_error() -> None:
    got: list[Rows] = []
    with pytest.raises(RowMakerStopped), rows_beside(_Broken(), PLAN) as batches:
        got.extend(batches)
    assert [b["client"][0][0] for b in got] == [1]


def test_a_build_with_the_rows_made_beside_is_the_inline_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BATCH", 70)  # several batches, one cut short
    build_demo(str(tmp_path / "inline.sqlite3"), CLIENTS, seed=7, beside=False)
    stages: list[tuple[str, int]] = []
    build_demo(
        str(tmp_path / "beside.sqlite3"), CLIENTS, seed=7, beside=True, progress=lambda s, d, _t: stages.append((s, d))
    )
    assert digest(tmp_path / "beside.sqlite3") == digest(tmp_path / "inline.sqlite3")
    assert [d for s, d in stages if s == "clients"] == [0, 70, 140, 210, 280, 300]
    with sqlite3.connect(tmp_path / "beside.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM client").fetchone()[0] >= CLIENTS
        assert db.execute("SELECT count(*) FROM booking").fetchone()[0] > 0


def test_the_rows_are_made_beside_only_with_a_core_to_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import demo_pipe

    monkeypatch.setattr(demo_pipe.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(demo_pipe.os, "getloadavg", lambda: (0.4, 0.0, 0.0))
    assert demo_pipe.spare_core()
    monkeypatch.setattr(demo_pipe.os, "getloadavg", lambda: (1.5, 0.0, 0.0))
    assert not demo_pipe.spare_core()  # both cores busy: the maker would only share their time
    monkeypatch.setattr(demo_pipe.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(demo_pipe.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not demo_pipe.spare_core()
