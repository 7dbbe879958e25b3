"""Every search lookup on SQLite seeks its own key's index, with and without a desk filter: never
the merged-away or desk index, never a walk of the clients and a sort (storage.repo_search); the
summaries read each card's numbers from the phone index alone."""

from __future__ import annotations

import re

import pytest

from storage.engine import make_engine
from storage.repo_search import _LOOKUP_SQL, _lookup_sql, _summary_sql

# lookup -> what its plan must seek
SEEKS = {
    "phone": "SEARCH p USING COVERING INDEX ix_phone_e164_client",
    "email": "SEARCH e USING INDEX ix_email_address_key",
    "passport": "SEARCH c USING INDEX ix_client_passport_key",
    "id": "SEARCH c USING INTEGER PRIMARY KEY",
    "name_key": "SEARCH c USING INDEX ix_client_name_key",
    "name_latin": "SEARCH c USING INDEX ix_client_name_latin",
    "tag": "SEARCH ct USING COVERING INDEX",
    "tag_name": "SEARCH ct USING COVERING INDEX",
}


@pytest.mark.parametrize("desks", [None, 1, 3])
@pytest.mark.parametrize("kind", list(_LOOKUP_SQL))
def test_a_lookup_seeks_its_key(sqlite_store: str, kind: str, desks: int | None) -> None:
    engine = make_engine(sqlite_store)
    try:
        sql = _lookup_sql(kind, desks, True, False)
        params = {name: 1 for name in re.findall(r":(\w+)", sql)}
        with engine.connect() as conn:
            plan = " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
    finally:
        engine.dispose()
    assert plan.startswith(SEEKS[kind]) or SEEKS[kind] in plan.split(" | ")[0], plan
    assert "ix_client_merged_into" not in plan and "ix_client_desk_id" not in plan, plan
    assert "SCAN" not in plan, plan
    if kind.startswith("name"):  # the index's order is the answer's: the first 50 end the walk
        assert "TEMP B-TREE" not in plan, plan


def test_the_summaries_read_the_numbers_from_the_index(sqlite_store: str) -> None:
    engine = make_engine(sqlite_store)
    try:
        sql = _summary_sql(3, False)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, {f"i{i}": i + 1 for i in range(3)}).all()
    finally:
        engine.dispose()
    plan = " | ".join(row[3] for row in rows)
    assert "SEARCH c USING INTEGER PRIMARY KEY" in plan, plan
    assert "SEARCH p USING COVERING INDEX ix_phone_client_e164 (client_id=?)" in plan, plan
