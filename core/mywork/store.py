"""What 'My work' needs from a store: one method, one read transaction, counts and limits in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.mywork.models import WorkItem


@dataclass(frozen=True)
class MyWorkQuery:
    employee_id: int
    now: datetime
    day_end: datetime  # 'due today' is before it (UTC)
    desk_ids: tuple[int, ...] | None  # None: every desk
    limit: int  # rows per section


class MyWorkStore(Protocol):
    def my_work(self, query: MyWorkQuery) -> dict[str, tuple[int, list[WorkItem]]]:
        """Per section (core.mywork.rules.Section): (how many, the first `limit` rows by time)."""
        ...
