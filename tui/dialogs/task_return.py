"""M6: the one who set a task returns it to the assignee, saying why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from core.shapes import COMMENT_LEN
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.port import Console
    from core.tasks.models import Task


class TaskReturnDialog(CrmDialog["Task | None"]):
    PLACE = N_("Return the task")
    CRM_HELP = N_("Say what is missing; Enter returns the task to the assignee, Esc cancels.")
    FIELDS = {"comment": "return-comment"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Return"), id="task_return.save", priority=True)]

    def __init__(self, task_id: int, title: str) -> None:
        super().__init__()
        self.task_id = task_id
        self.title_text = title

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Return: {title}").format(title=self.title_text), classes="dialog-title", markup=False)
            yield Input(id="return-comment", placeholder=_("What is missing"), max_length=COMMENT_LEN)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        from core.tasks.inputs import TaskCheck

        comment = self.query_one(Input).value
        task_id = self.task_id

        def job(console: Console) -> Task:
            return console.check_task(task_id, TaskCheck(accept=False, comment=comment))

        self.call(job, self.dismiss, group="task-return", failed=self.show_error)

    def show_error(self, exc: BaseException) -> None:
        from tui.errors import error_text

        self.status(error_text(exc), "error")
