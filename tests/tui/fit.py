"""What a place must show whole at 80x24: each word of each value on the screen, the key line on
one row with every entry, no horizontal scrolling in a table, ASCII only in plain mode."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from textual.widgets import DataTable

from tests.tui.conftest import screen_text
from tui.plain import to_ascii
from tui.widgets.key_line import KeyLine

STRIP = ",.;:|()[]\"'«»“”·—-"


def words(text: str) -> list[str]:
    return [w.strip(STRIP) for w in text.split() if w.strip(STRIP)]


def cut(app, values: Iterable[str], plain: bool, tables: bool = True) -> list[str]:  # type: ignore[no-untyped-def]
    """The values (or the key line's entries, or, with `tables`, a table's width) the screen does
    not show whole."""
    text = screen_text(app)
    shown = set(words(text))
    found = []
    for value in values:
        missing = [w for w in words(to_ascii(value) if plain else value) if w not in shown]
        if missing:
            found.append(f"{value!r} ({' '.join(missing)} not whole)")
    line = app.screen.query_one(KeyLine)
    if line.outer_size.height != 1:
        found.append(f"the key line takes {line.outer_size.height} rows")
    bottom = set(words(text.splitlines()[-1]))
    entries, palette = line.entries()
    for key, description in [*entries, *([palette] if palette else [])]:
        if any((to_ascii(w) if plain else w) not in bottom for w in words(f"{key} {description}")):
            found.append(f"key line: {key} {description!r}")
    for table in app.screen.query(DataTable) if tables else []:
        if table.display and table.max_scroll_x > 0:
            found.append(f"#{table.id} scrolls sideways ({table.virtual_size.width} columns)")
    if plain:
        odd = {ch for ch in text if not ch.isascii() and unicodedata.category(ch)[0] != "L"}
        if odd:
            found.append(f"not ASCII: {sorted(odd)}")
    return found
