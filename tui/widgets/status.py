"""The status line: what just happened, or what went wrong, one line above the footer."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; width: 1fr; padding: 0 1; }  /* an error wraps, never loses its end */
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(text, id=id, markup=False)
        self._text = text

    def show(self, text: str, kind: str = "info") -> None:
        """kind: info, success or error."""
        for name in ("-info", "-success", "-error"):
            self.set_class(name == f"-{kind}", name)
        self._text = text
        self.update(text)

    def clear(self) -> None:
        self.show("", "info")

    @property
    def text(self) -> str:
        return self._text

    @property
    def kind(self) -> str:
        return next((name[1:] for name in ("-error", "-success") if self.has_class(name)), "info")
