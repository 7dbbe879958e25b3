"""`crm tasks` and `crm assign` (filled in by the tasks and auto-assignment areas)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def register(app: typer.Typer, settings_for: Callable[[str | None], Any], guard: Callable[[Any], Any]) -> None:
    """Nothing yet."""
