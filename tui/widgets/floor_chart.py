"""The floor's hour-by-hour chart of today: textual-plotext bars in a basic colour (readable on 16
colours) with the figures beside it; in plain mode a row of ASCII levels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.i18n import _

BAR_COLOUR = "blue"  # a basic ANSI colour: the same on 16-colour terminals
FIRST_HOUR, LAST_HOUR = 8, 20  # always shown; calls outside widen the range
LEVELS = " .:-=+*#"  # plain mode: one character per hour


def shown_hours(hours: list[int], now_hour: int) -> range:
    used = [h for h, n in enumerate(hours) if n]
    return range(min([FIRST_HOUR, *used]), max([LAST_HOUR, now_hour, *used]) + 1)


def figures(hours: list[int], now_hour: int) -> str:
    """The numbers beside the chart: today's total, this hour, the busiest hour."""
    total = sum(hours)
    peak = max(range(len(hours)), key=lambda h: (hours[h], -h)) if total else None
    lines = [
        _("Today: {n}").format(n=total),
        _("This hour: {n}").format(n=hours[now_hour] if 0 <= now_hour < len(hours) else 0),
    ]
    if peak is not None:
        lines.append(_("Peak: {hour}:00 ({n})").format(hour=f"{peak:02d}", n=hours[peak]))
    return "\n".join(lines)


def ascii_hours(hours: list[int], span: range) -> str:
    top = max((hours[h] for h in span), default=0) or 1
    levels = "".join(LEVELS[round((len(LEVELS) - 1) * hours[h] / top)] if hours[h] else "_" for h in span)
    return f"{span.start:02d} {levels} {span.stop - 1:02d}"


class HourChart(Horizontal):
    DEFAULT_CSS = """
    HourChart { height: 6; }
    HourChart #hours-plot { width: 1fr; }
    HourChart #hours-text { width: 1fr; padding: 1 1; }
    HourChart #hours-figures { width: 20; padding: 0 1; }
    """

    def __init__(self, plain: bool, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        self.plain = plain
        self.drawn: tuple[str, list[int]] | None = None  # (title, hours)

    def compose(self) -> ComposeResult:
        if self.plain:
            yield Static("", id="hours-text", markup=False)
        else:
            from textual_plotext import PlotextPlot

            yield PlotextPlot(id="hours-plot")
        yield Static("", id="hours-figures", markup=False)

    def draw(self, title: str, hours: list[int], now_hour: int) -> None:
        if self.drawn == (title, hours):
            return  # the same picture: not redrawn (no flicker at a refresh)
        self.drawn = (title, list(hours))
        span = shown_hours(hours, now_hour)
        self.query_one("#hours-figures", Static).update(title + "\n" + figures(hours, now_hour))
        if self.plain:
            self.query_one("#hours-text", Static).update(ascii_hours(hours, span))
            return
        from textual_plotext import PlotextPlot

        plot = self.query_one("#hours-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs = list(span)
        plt.bar(xs, [hours[h] for h in xs], color=BAR_COLOUR, width=0.6)
        plt.xticks(xs[::2], [f"{h:02d}" for h in xs[::2]])
        top = max((hours[h] for h in xs), default=0)
        plt.yticks(sorted({0, top // 2, top}))  # whole calls only
        plot.refresh()
