"""The report's chart: textual-plotext bars or a line in basic colours (readable on 16 colours),
or, in plain mode, bars of '#' in ASCII text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from core.reports.files import duration

BAR_COLOUR = "blue"  # a basic ANSI colour: the same on 16-colour terminals
LINE_COLOUR = "green"
LABEL_WIDTH = 16


class ReportChart(Vertical):
    DEFAULT_CSS = """
    ReportChart { height: 8; }
    ReportChart #chart-text { height: 8; padding: 0 1; }
    """

    def __init__(self, plain: bool, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        self.plain = plain
        self.drawn: tuple[str, str, list[str], list[float]] | None = None  # (kind, title, labels, values)

    def compose(self) -> ComposeResult:
        if self.plain:
            yield Static("", id="chart-text", markup=False)
        else:
            from textual_plotext import PlotextPlot

            yield PlotextPlot(id="chart-plot")

    def draw(self, kind: str, title: str, labels: list[str], values: list[float], seconds: bool = False) -> None:
        """kind: "bar" (one bar per label) or "line" (values over the labels in order)."""
        self.drawn = (kind, title, labels, values)
        if self.plain:
            self.query_one("#chart-text", Static).update(ascii_bars(title, labels, values, seconds))
            return
        from textual_plotext import PlotextPlot

        plot = self.query_one("#chart-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        if values:
            if kind == "line":
                xs = list(range(1, len(values) + 1))
                plt.plot(xs, values, color=LINE_COLOUR, marker="dot")
                step = max(1, len(labels) // 6)
                plt.xticks(xs[::step], labels[::step])
            else:
                plt.bar([label[:LABEL_WIDTH] for label in labels], values, color=BAR_COLOUR, width=0.6)
        plot.refresh()


def ascii_bars(title: str, labels: list[str], values: list[float], seconds: bool = False) -> str:
    """Up to 7 rows of `label | ##### value` in ASCII (the rest is in the table below)."""
    lines = [title]
    top = max(values, default=0) or 1
    for label, value in list(zip(labels, values, strict=True))[:7]:
        bar = "#" * max(0, round(40 * value / top))
        shown = duration(value) if seconds else f"{value:g}"
        lines.append(f"{label[:LABEL_WIDTH]:<{LABEL_WIDTH}} |{bar} {shown}")
    return "\n".join(lines)
