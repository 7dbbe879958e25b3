"""M6: set a task — title, for whom, the deadline (in the console's time zone), the reminder,
the repeat rule, watchers by name, the text. Ctrl+S sets it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from core.errors import ValidationFailed
from core.tasks.inputs import TEXT_LEN, TITLE_LEN
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.port import Console
    from core.tasks.models import Person, Task


class NewTaskDialog(CrmDialog["Task | None"]):
    PLACE = N_("New task")
    CRM_HELP = N_(
        "Set a task: its title, for whom, the deadline as DD.MM.YYYY HH:MM, how many minutes before "
        "it to remind, a repeat rule (daily, weekly, monthly or cron: 0 9 * * 1-5) and watchers "
        "(names, comma-separated). Ctrl+S sets it, Esc cancels."
    )
    FIELDS = {
        "title": "task-title",
        "assignee_id": "task-assignee",
        "deadline": "task-deadline",
        "remind_minutes": "task-remind",
        "repeat": "task-repeat",
        "watcher_ids": "task-watchers",
    }
    BINDINGS = [Binding("ctrl+s", "save", N_("Set the task"), id="task_new.save", priority=True)]
    DEFAULT_CSS = """
    NewTaskDialog .dialog-box { height: auto; max-height: 22; }
    NewTaskDialog Input, NewTaskDialog Select { margin: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("New task"), classes="dialog-title", markup=False)
            yield Input(id="task-title", placeholder=_("Title"), max_length=TITLE_LEN)
            yield Select([], id="task-assignee", prompt=_("For whom"))
            yield Input(id="task-deadline", placeholder=_("Deadline DD.MM.YYYY HH:MM"), max_length=16)
            yield Input(id="task-remind", placeholder=_("Remind minutes before (30)"), max_length=5)
            yield Input(id="task-repeat", placeholder=_("Repeat: daily, weekly, monthly, cron: …"), max_length=120)
            yield Input(id="task-watchers", placeholder=_("Watchers (names, comma-separated)"), max_length=400)
            yield Input(id="task-text", placeholder=_("Text"), max_length=TEXT_LEN)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

        def job(console: Console) -> list[Person]:
            return console.task_assignees()

        self.call(job, self._people, group="task-people")

    def _people(self, people: list[Person]) -> None:
        self.people = people
        self.query_one("#task-assignee", Select).set_options([(p.name, p.id) for p in people])

    def _values(self) -> dict[str, object]:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        zone = self.app.zone  # type: ignore[attr-defined]
        try:
            deadline = datetime.strptime(value("task-deadline"), "%d.%m.%Y %H:%M").replace(tzinfo=zone)
        except ValueError:
            raise ValidationFailed(_("Write the deadline as DD.MM.YYYY HH:MM."), field="deadline") from None
        remind = value("task-remind") or "30"
        if not remind.isdigit():
            raise ValidationFailed(_("The reminder is a number of minutes."), field="remind_minutes")
        assignee = self.query_one("#task-assignee", Select).value
        if not isinstance(assignee, int):
            raise ValidationFailed(_("Choose for whom the task is."), field="assignee_id")
        by_name = {p.name.casefold(): p.id for p in self.people}
        watchers = []
        for name in filter(None, (n.strip() for n in value("task-watchers").split(","))):
            found = by_name.get(name.casefold()) or next(
                (i for n, i in by_name.items() if n.startswith(name.casefold())), None
            )
            if found is None:
                raise ValidationFailed(_("No employee named {name}.").format(name=name), field="watcher_ids")
            watchers.append(found)
        return {
            "title": value("task-title"),
            "text": value("task-text"),
            "assignee_id": assignee,
            "deadline": deadline,
            "remind_minutes": int(remind),
            "repeat": value("task-repeat") or None,
            "watcher_ids": watchers,
        }

    def action_save(self) -> None:
        from pydantic import ValidationError

        from core.tasks.inputs import NewTask

        try:
            draft = NewTask.model_validate(self._values())
        except ValidationFailed as exc:
            self.show_error(exc)
            return
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0]) if exc.errors() else None
            self.show_error(ValidationFailed(_("Check the highlighted field."), field=field))
            return

        def job(console: Console) -> Task:
            return console.create_task(draft)

        self.call(job, self.dismiss, group="task-new", failed=self.show_error)

    def show_error(self, exc: BaseException) -> None:
        from tui.errors import error_text
        from tui.screens.base import focus_field

        self.status(error_text(exc), "error")
        if isinstance(exc, ValidationFailed) and exc.field:
            focus_field(self, self.FIELDS, exc.field)
