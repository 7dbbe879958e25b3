"""The employee list's filter (F in Administration): desk, role and state, each "any" unless chosen;
`describe` is the line the list's title carries while a filter is on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Select, Static

from core.admin.inputs import EmployeeFilter
from core.admin.models import RoleLine
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

ANY = "*"
STATES = ((ANY, N_("any")), ("active", N_("active")), ("disabled", N_("disabled")))


def describe(flt: EmployeeFilter, desks: dict[int, str], roles: dict[str, str]) -> str:
    """ "Desk: Main desk · Role: Operator · active", or "" without a filter."""
    parts = []
    if flt.desk_id is not None:
        parts.append(_("Desk") + ": " + desks.get(flt.desk_id, str(flt.desk_id)))
    if flt.role is not None:
        parts.append(_("Role") + ": " + roles.get(flt.role, flt.role))
    if flt.active is not None:
        parts.append(_("active") if flt.active else _("disabled"))
    return " · ".join(parts)


class EmployeeFilterDialog(CrmDialog[EmployeeFilter]):
    """Answers the new filter (Ctrl+S or Apply; Clear answers no filter), or None (Esc)."""

    PLACE = N_("Filter employees")
    CRM_HELP = N_("Tab moves between desk, role and state; Ctrl+S applies; Clear shows everyone; Esc goes back.")
    BINDINGS = [Binding("ctrl+s", "apply", N_("Apply"), id="admin.filter_apply", priority=True)]
    DEFAULT_CSS = "EmployeeFilterDialog Select { margin-bottom: 0; }"

    def __init__(self, flt: EmployeeFilter, roles: list[RoleLine], desks: dict[int, str]) -> None:
        super().__init__()
        self.flt, self.roles, self.desks = flt, roles, desks

    def body(self) -> ComposeResult:
        flt, any_ = self.flt, _("any")
        with Vertical(classes="dialog-box small"):
            yield Static(_("Filter employees"), classes="dialog-title", markup=False)
            yield Label(_("Desk"))
            desks = [(any_, ANY), *((name, str(i)) for i, name in sorted(self.desks.items(), key=lambda d: d[1]))]
            desk = ANY if flt.desk_id is None else str(flt.desk_id)
            yield Select(desks, value=desk, id="desk", allow_blank=False, compact=True)
            yield Label(_("Role"))
            roles = [(any_, ANY), *((f"{_(r.name)} ({r.code})", r.code) for r in self.roles)]
            yield Select(roles, value=flt.role or ANY, id="role", allow_blank=False, compact=True)
            yield Label(_("State"))
            state = ANY if flt.active is None else ("active" if flt.active else "disabled")
            states = [(_(text), code) for code, text in STATES]
            yield Select(states, value=state, id="state", allow_blank=False, compact=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Apply"), id="apply", compact=True, variant="primary")
                yield Button(_("Clear"), id="clear", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
            yield StatusLine(id="status")

    def on_mount(self) -> None:
        self.query_one("#desk", Select).focus()

    def _value(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def action_apply(self) -> None:
        desk, role, state = self._value("desk"), self._value("role"), self._value("state")
        self.dismiss(
            EmployeeFilter(
                desk_id=None if desk == ANY else int(desk),
                role=None if role == ANY else role,
                active=None if state == ANY else state == "active",
            )
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(EmployeeFilter())
        else:
            self.dismiss(None)
