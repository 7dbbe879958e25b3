"""The suite's own scheduling: under pytest-xdist the longest files are queued first, in the order
of SLOW_FIRST, and the rest keep their order; one process keeps pytest's order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import conftest


def _items(*nodeids: str) -> list[pytest.Item]:
    return [SimpleNamespace(nodeid=n) for n in nodeids]  # type: ignore[misc]


ORDER = (
    "tests/test_a.py::test_one",
    "tests/thin/test_ssh.py::test_ssh",
    "tests/test_b.py::test_two",
    "tests/api/test_logs.py::test_log[sqlite-adm]",
    "tests/api/test_schema.py::test_admin[clients]",
    "tests/api/test_logs.py::test_log[sqlite-sup]",
)


def test_under_xdist_the_longest_files_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    items = _items(*ORDER)
    conftest.pytest_collection_modifyitems(items)
    assert [i.nodeid for i in items] == [
        "tests/api/test_schema.py::test_admin[clients]",
        "tests/thin/test_ssh.py::test_ssh",
        "tests/api/test_logs.py::test_log[sqlite-adm]",
        "tests/api/test_logs.py::test_log[sqlite-sup]",
        "tests/test_a.py::test_one",
        "tests/test_b.py::test_two",
    ]


def test_one_process_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    items = _items(*ORDER)
    conftest.pytest_collection_modifyitems(items)
    assert [i.nodeid for i in items] == list(ORDER)
