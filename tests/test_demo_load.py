"""The demo's bulk load (storage.demo_load): where it puts the indexes it makes again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.demo import build_demo
from storage.demo_load import LOAD_ORDER, SEARCH_INDEXES


def test_the_search_indexes_are_made_first(tmp_path: Path) -> None:
    """They lie before the others in the file: a big demo's search indexes stay in the part of the
    file a connection can map (2 GiB)."""
    target = tmp_path / "demo.sqlite3"
    build_demo(str(target), 200, seed=7)
    marks = ",".join("?" * len(LOAD_ORDER))
    with sqlite3.connect(target) as conn:
        roots = dict(
            conn.execute(
                "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks})",
                LOAD_ORDER,
            ).fetchall()
        )
    first = [roots[name] for name in SEARCH_INDEXES]
    assert len(first) == len(SEARCH_INDEXES) < len(roots)
    assert max(first) < min(page for name, page in roots.items() if name not in SEARCH_INDEXES)
