"""S2: the header (employee, role, date, weekday, live clock) and the navigation line (004 sl.4)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui import format as fmt
from tui import reminders
from tui.format import clock_line
from tui.i18n import N_, _

# (place, binding id of the key that opens it, label)
PLACES = (
    ("office", "nav.office", N_("Office")),
    ("calls", "nav.calls", N_("Calls")),
    ("new_client", "nav.new_client", N_("New client")),
    ("supervisor", "nav.supervisor", N_("Supervisor")),
    ("pipeline", "nav.pipeline", N_("Pipeline")),
    ("reports", "nav.reports", N_("Reports")),
)  # in key order; the line holds 80 columns (in Russian too): the places below open by key and from the palette
OFF_BAR = (
    ("my_work", "nav.my_work", N_("My work")),
    ("tasks", None, N_("Tasks")),  # T in My work
)
# places shown (in the navigation line, the palette) and opened only with one of the permissions
PLACE_PERMISSION = {
    "reports": ("view_reports",),
    "supervisor": ("view_floor", "manage_campaigns", "import_clients", "manage_users"),  # the floor, C, I, A
}


def may_enter(employee: object, place: str) -> bool:
    needed = PLACE_PERMISSION.get(place)
    return needed is None or any(p in (getattr(employee, "permissions", None) or []) for p in needed)


def closed_place(app: object, place: str, binding_id: str) -> None:
    """Its key pressed without the permission: the status line names what would open it."""
    text = _("{key}: needs one of {names}").format(
        key=app.key_display(binding_id),  # type: ignore[attr-defined]
        names=", ".join(PLACE_PERMISSION.get(place, ())),
    )
    status = getattr(app.screen, "status", None)  # type: ignore[attr-defined]
    if status is not None:
        status(text, "error")


class HeaderBar(Horizontal):
    _shown: object = None

    DEFAULT_CSS = """
    HeaderBar { height: 1; }
    HeaderBar #who { width: 1fr; padding: 0 1; text-style: bold; }
    HeaderBar #clock { width: auto; padding: 0 1; }
    HeaderBar #reminders { width: auto; text-style: bold; color: $warning; }
    """

    def compose(self) -> ComposeResult:
        yield Static(self._who(), id="who", markup=False)
        yield Static("", id="reminders", markup=False)  # task reminders (tui.reminders)
        yield Static("", id="clock", markup=False)

    def _who(self) -> str:
        employee = getattr(self.app, "employee", None)
        if employee is None:
            return _("CRM console")
        role = _(employee.role_name)
        room = (self.app.size.width or 80) - 28  # the clock and the paddings
        name = (
            employee.full_name
            if len(employee.full_name) + len(role) + 3 <= room
            else fmt.short_name(employee.full_name)
        )
        return f"{name} · {role}"  # the role whole: a long name gives way ("Гаврилов А. Б.")

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)
        reminders.ensure_polling(self.app)

    def tick(self) -> None:
        app = self.app
        self.query_one("#clock", Static).update(clock_line(app.clock.now(), app.zone))  # type: ignore[attr-defined]
        self.show_reminders()

    def show_reminders(self) -> None:
        """The app's latest reminders (asked once a minute, not per header or per second)."""
        answer = getattr(self.app, "task_reminders", None)
        if answer is not self._shown:
            self._shown = answer
            widget = self.query_one("#reminders", Static)
            widget.update(reminders.label(answer))
            widget.tooltip = reminders.listing(answer) or None


class NavBar(Static):
    """The places of the console, each one key away; the current one is highlighted."""

    DEFAULT_CSS = """
    NavBar { height: 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__("", markup=False)
        self.current = current

    def on_mount(self) -> None:
        self.update(self._line())

    def _line(self) -> Text:
        line = Text()
        employee = getattr(self.app, "employee", None)
        for place, binding_id, name in PLACES:
            if not may_enter(employee, place):
                continue
            key = self.app.key_display(binding_id)  # type: ignore[attr-defined]
            style = "reverse bold" if place == self.current else ""
            line.append(f" {key} {_(name)} ", style=style)  # the item's own spaces part it from the next
        return line
