"""The header's task reminders: ONE light call a minute per console (an indexed count and a few
rows), whatever the number of screens; every header shows the app's latest answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.i18n import _

if TYPE_CHECKING:
    from core.port import Console
    from core.tasks.models import Reminders

POLL_SECONDS = 60.0
_TIMER = "_task_reminders_timer"
_FOR = "_task_reminders_for"


def ensure_polling(app: Any) -> None:
    """Start the app's minute poll once; ask at once when the signed-in employee is new."""
    employee = getattr(app, "employee", None)
    if employee is None:
        return
    if app.__dict__.get(_TIMER) is None:
        app.__dict__[_TIMER] = app.set_interval(POLL_SECONDS, lambda: refresh(app))
    if app.__dict__.get(_FOR) != employee.id:
        refresh(app)


def refresh(app: Any) -> None:
    """Ask the Console in a thread worker; the answer lands in `app.task_reminders`."""
    employee = getattr(app, "employee", None)
    if employee is None:
        app.task_reminders = None
        return
    app.__dict__[_FOR] = employee.id

    def job() -> None:
        console: Console = app.get_console()
        try:
            answer = console.task_reminders()
        except Exception:  # noqa: BLE001 - the header says nothing rather than an error each minute
            answer = None
        app.call_from_thread(setattr, app, "task_reminders", answer)

    app.run_worker(job, thread=True, group="task_reminders", exclusive=True, exit_on_error=False)


def label(reminders: Reminders | None) -> str:
    if reminders is None or not reminders.count:
        return ""
    overdue = sum(1 for r in reminders.items if r.overdue)
    text = _("Tasks: {count}").format(count=reminders.count)
    return text + (" " + _("({overdue} overdue)").format(overdue=overdue) if overdue else "")


def listing(reminders: Reminders | None) -> str:
    """The list behind the count (the header's tooltip, the tasks screen's first lines)."""
    if reminders is None:
        return ""
    return "\n".join(r.title for r in reminders.items)
