"""Picking a file: completion of existing paths as one types (Textual's suggester: Right accepts)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

KINDS = (".csv", ".txt", ".xlsx")
MAX_LISTED = 500  # entries of a directory looked at for one completion


class PathSuggester(Suggester):
    """Completes the last part of a typed path with an existing directory or file of `kinds`."""

    def __init__(self, kinds: tuple[str, ...] = KINDS) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.kinds = kinds

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.kinds)


def complete_path(value: str, kinds: tuple[str, ...] = KINDS) -> str | None:
    """The first existing entry (directories end with `/`) that `value` is the start of."""
    if not value:
        return None
    typed = Path(value).expanduser()
    folder, start = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
    try:
        with os.scandir(folder) as entries:
            names = []
            for n, entry in enumerate(entries):
                if n >= MAX_LISTED:
                    break
                if entry.name.startswith(start) and not entry.name.startswith("."):
                    if entry.is_dir():
                        names.append(entry.name + os.sep)
                    elif entry.name.lower().endswith(kinds):
                        names.append(entry.name)
    except OSError:
        return None
    if not names:
        return None
    return value + sorted(names)[0][len(start) :]
