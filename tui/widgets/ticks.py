"""Tick boxes whose state shows in their shape, not only their shade: `[x]` ticked, `[ ]` not —
plain ASCII, the same on every terminal (a checkbox and a list of tick boxes)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED, UNTICKED = "[x]", "[ ]"


def tick(value: bool) -> str:
    return TICKED if value else UNTICKED


class Tick(Checkbox):
    """A checkbox drawn `[x]` / `[ ]`."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--label")
        return Content.styled(tick(self.value), style)


class TickList(SelectionList[int]):
    """A selection list whose rows start with `[x]` / `[ ]`."""

    def _get_left_gutter_width(self) -> int:
        return len(TICKED) + 1

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        underlying = next(iter(line)).style or self.rich_style
        ticked = selection.value in self._selected
        style = underlying + Style(bold=ticked, meta={"option": index})
        return Strip([Segment(f"{tick(ticked)} ", style=style), *line])
