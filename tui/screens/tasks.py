"""Tasks (M6), T in My work (F6) or from the palette: the tasks assigned to me, set by me, watched
by me; mark one done, accept or return it, set a new one. Overdue tasks are marked; the header counts the reminders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from core.tasks.models import TaskScope, TaskStatus
from tui import format as fmt
from tui import reminders
from tui.bindings import localize_bindings
from tui.i18n import N_, _
from tui.screens.base import CrmScreen
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.port import Console
    from core.tasks.models import Task

SCOPES = (
    (TaskScope.MINE, "m", N_("Mine")),
    (TaskScope.SET, "s", N_("Set by me")),
    (TaskScope.WATCHING, "w", N_("Watching")),
)
STATES = {
    TaskStatus.OPEN: N_("to do"),
    TaskStatus.DONE: N_("to check"),
    TaskStatus.ACCEPTED: N_("accepted"),
}


class TaskTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


class TasksScreen(CrmScreen):
    PLACE = N_("Tasks")
    CRM_HELP = N_(
        "Tasks: m shows the tasks assigned to me, s those I set, w those I watch. d marks the "
        "highlighted task done; the one who set it accepts it with a or returns it with r and a "
        "comment. Ctrl+N sets a new task. Overdue tasks are marked with !."
    )
    FIELD_HELP = {"task-table": N_("Arrows move; the lines below show the highlighted task.")}
    BINDINGS = [
        Binding("m", "scope('mine')", N_("Mine"), id="tasks.mine", show=False),
        Binding("s", "scope('set')", N_("Set by me"), id="tasks.set", show=False),
        Binding("w", "scope('watching')", N_("Watching"), id="tasks.watching", show=False),
        Binding("d", "done", N_("Done"), id="tasks.done"),
        Binding("a", "accept", N_("Accept"), id="tasks.accept"),
        Binding("r", "return", N_("Return"), id="tasks.return"),
        Binding("ctrl+n", "new", N_("New task"), id="tasks.new"),
        Binding("ctrl+r", "reload", N_("Refresh"), id="tasks.reload", show=False),
        Binding("escape", "back", N_("Back"), id="tasks.back"),
    ]
    DEFAULT_CSS = """
    TasksScreen #task-scopes { height: 1; padding: 0 1; }
    TasksScreen #task-table { height: 1fr; }
    TasksScreen #task-detail { height: 4; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scope = TaskScope.MINE
        self.rows: list[Task] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("tasks")
        yield Static("", id="task-scopes", markup=False)
        yield TaskTable(id="task-table")
        yield Static("", id="task-detail", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(TaskTable)
        table.add_column(_("Deadline"), width=16, key="deadline")
        table.add_column(_("Task"), width=30, key="title")
        table.add_column(_("Who"), width=14, key="who")
        table.add_column(_("State"), width=10, key="state")
        table.focus()
        self._show_scopes()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def _show_scopes(self) -> None:
        parts = []
        for scope, key, title in SCOPES:
            mark = ">" if scope == self.scope else " "
            parts.append(f"{mark}{key} {_(title)}")
        self.query_one("#task-scopes", Static).update("  ".join(parts))

    # --- loading ---------------------------------------------------------------------------

    def action_scope(self, scope: str) -> None:
        self.scope = TaskScope(scope)
        self._show_scopes()
        self.action_reload()

    def action_reload(self) -> None:
        scope = self.scope

        def job(console: Console) -> list[Task]:
            return console.tasks(scope)

        self.call(job, self._show, group="tasks", spinner=self.query_one(TaskTable))
        reminders.refresh(self.app)

    def _show(self, tasks: list[Task]) -> None:
        self.rows = tasks
        table = self.query_one(TaskTable)
        table.clear()
        zone = self.app.zone  # type: ignore[attr-defined]
        for task in tasks:
            who = task.author.name if self.scope == TaskScope.MINE else task.assignee.name
            mark = "!" if task.overdue else " "
            deadline = f"{mark}{fmt.moment(task.deadline, zone)}"
            table.add_row(deadline, task.title, fmt.short_name(who), _(STATES[task.status]), key=str(task.id))
        if not tasks:
            self.query_one("#task-detail", Static).update(_("No tasks here."))
        else:
            self._detail(tasks[0])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        task = self._current()
        if task is not None:
            self._detail(task)

    def _detail(self, task: Task) -> None:
        lines = [task.text.strip().splitlines()[0] if task.text.strip() else task.title]
        line = _("Set by {author} for {assignee}").format(author=task.author.name, assignee=task.assignee.name)
        if task.repeat:
            line += " · " + _("repeats: {rule}").format(rule=task.repeat)
        lines.append(line)
        if task.watchers:
            lines.append(_("Watchers: {names}").format(names=", ".join(w.name for w in task.watchers)))
        if task.returned and task.comment:
            lines.append(_("Returned: {comment}").format(comment=task.comment))
        self.query_one("#task-detail", Static).update("\n".join(lines[:4]))

    def _current(self) -> Task | None:
        table = self.query_one(TaskTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # --- changes -----------------------------------------------------------------------------

    def _change(self, job, done_text: str) -> None:  # type: ignore[no-untyped-def]
        task = self._current()
        if task is None:
            self.status(_("No task is highlighted."), "error")
            return

        def changed(_task: Task) -> None:
            self.status(done_text)
            self.action_reload()

        self.call(lambda console: job(console, task.id), changed, group="task-change")

    def action_done(self) -> None:
        from core.tasks.inputs import TaskDone

        self._change(lambda console, task_id: console.complete_task(task_id, TaskDone()), _("Marked done."))

    def action_accept(self) -> None:
        from core.tasks.inputs import TaskCheck

        self._change(lambda console, task_id: console.check_task(task_id, TaskCheck(accept=True)), _("Accepted."))

    def action_return(self) -> None:
        from tui.dialogs.task_return import TaskReturnDialog

        task = self._current()
        if task is None:
            self.status(_("No task is highlighted."), "error")
            return

        def returned(result: Task | None) -> None:
            if result is not None:
                self.status(_("Returned to {name}.").format(name=result.assignee.name))
                self.action_reload()

        self.app.push_screen(TaskReturnDialog(task.id, task.title), returned)

    def action_new(self) -> None:
        from tui.dialogs.task_new import NewTaskDialog

        def created(task: Task | None) -> None:
            if task is not None:
                self.status(_("Task set for {name}.").format(name=task.assignee.name))
                self.action_reload()

        self.app.push_screen(NewTaskDialog(), created)

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]
