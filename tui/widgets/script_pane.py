"""K2: the script pane — the way so far, the current block's text with the client's fields filled
in, and its answers numbered 1-9 (the number keys of the call screen pick them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.calls.scripts import render
from tui.i18n import _

if TYPE_CHECKING:
    from tui.call_session import CallSession

WAY_WIDTH = 76


class ScriptPane(VerticalScroll):
    DEFAULT_CSS = """
    ScriptPane { height: 1fr; padding: 0 1; border-top: solid $primary; }
    ScriptPane #script-way { color: $text-muted; height: auto; }
    ScriptPane #script-text { height: auto; margin: 0 0 1 0; text-style: bold; }
    ScriptPane #script-answers { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="script-way", markup=False)
        yield Static("", id="script-text", markup=False)
        yield Static("", id="script-answers", markup=False)

    def show(self, session: CallSession) -> None:
        way = self.query_one("#script-way", Static)
        body = self.query_one("#script-text", Static)
        answers = self.query_one("#script-answers", Static)
        run = session.run
        if run is None:
            way.update("")
            problems = "; ".join(session.script_problems)
            text = _("This campaign has no usable script: choose the outcome (o) and the result (r).")
            body.update(f"{text}\n{problems}" if problems else text)
            answers.update("")
            return
        steps = []
        for step in run.steps:
            answer = run.script.block(step.block).answers[step.answer - 1]
            steps.append(render(answer.text, session.start.text_values))
        way.update(self._way(steps))
        block = run.block
        if session.saved is not None:
            body.update(_("The call is saved."))
            answers.update("")  # the summary below says what n and Esc do: once on the screen
            return
        if block is None:
            outcome = run.outcome
            body.update(_("The script ended in a result. Backspace steps back to change it."))
            answers.update(_("r: the result form · Ctrl+S: save") if outcome else "")
            return
        body.update(render(block.text, session.start.text_values).strip())
        lines = Text()
        for number, answer in enumerate(block.answers, 1):
            if number > 1:
                lines.append("\n")
            lines.append(f" {number} ", style="bold reverse")
            lines.append(" " + render(answer.text, session.start.text_values))
        answers.update(lines)
        self.scroll_home(animate=False)

    @staticmethod
    def _way(steps: list[str]) -> str:
        if not steps:
            return _("Way: the start of the script")
        text = " › ".join(steps)
        prefix = _("Way: ")
        room = WAY_WIDTH * 2 - len(prefix)
        if len(text) > room:
            text = "…" + text[-(room - 1) :]
        return prefix + text
