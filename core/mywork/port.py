"""The 'My work' part of the Console port (`core.port.Console`)."""

from __future__ import annotations

from typing import Protocol

from core.mywork.models import MyWork
from core.mywork.rules import SECTION_DEFAULT


class MyWorkPort(Protocol):
    def my_work(self, zone: str | None = None, limit: int = SECTION_DEFAULT) -> MyWork:
        """Today for me, in `zone` (None: the console's): every section's count and first rows,
        of my desks only."""
        ...
