"""The floor's tables: rows keyed by id, updated in place at a refresh (no flicker, the cursor stays);
a value wider than its column ends with a mark of the cut (`tui.format.fit`)."""

from __future__ import annotations

from textual.widgets import DataTable

from tui.bindings import localize_bindings
from tui.format import fit
from tui.i18n import _
from tui.widgets.card_tables import ROW_KEYS


class FloorTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self, columns: tuple[tuple[str, str, int], ...], *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.floor_columns = columns
        localize_bindings(self)

    def on_mount(self) -> None:
        for key, label, width in self.floor_columns:
            self.add_column(_(label), key=key, width=width)

    def show_rows(self, rows: list[tuple[str, list[str]]]) -> None:
        """Update the cells in place when the same rows come in the same order; otherwise rebuild,
        keeping the cursor on the row of the same key."""
        plain = bool(getattr(self.app, "plain", False))
        rows = [(key, [fit(v, w, plain) for (_c, _l, w), v in zip(self.floor_columns, cells, strict=True)])
                for key, cells in rows]  # fmt: skip
        keys = [key for key, _cells in rows]
        if keys == [k.value for k in self.rows]:
            for key, cells in rows:
                for (column, _label, _width), value in zip(self.floor_columns, cells, strict=True):
                    if self.get_cell(key, column) != value:
                        self.update_cell(key, column, value)
            return
        selected = self.selected_key()
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if selected in keys:
            self.move_cursor(row=keys.index(selected))

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
