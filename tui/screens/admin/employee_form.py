"""The employee form: a new employee, or name, mobile, role, desks, masking and read-only of one."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from core.admin.inputs import EmployeeEdit, NewEmployee
from core.admin.models import EmployeeLine, RoleLine
from tui.i18n import N_, _
from tui.screens.admin.forms import MASK_CHOICES, AdminForm, change_lines

TRI = (("role", N_("as the role")), ("yes", N_("yes")), ("no", N_("no")))


def _tri(value: bool | None) -> str:
    return "role" if value is None else ("yes" if value else "no")


def _mask(value: bool | None) -> str:
    return "role" if value is None else ("masked" if value else "shown")


class EmployeeForm(AdminForm):
    PLACE = N_("Employee")
    CRM_HELP = N_("Tab moves between fields; Ctrl+S saves after you confirm the list of changes; Esc cancels.")
    FIELDS = {"login": "login", "full_name": "name", "mobile": "mobile", "role": "role", "desk_ids": "desks",
              "password": "password"}  # fmt: skip

    def __init__(self, roles: list[RoleLine], desks: dict[int, str], line: EmployeeLine | None = None) -> None:
        super().__init__()
        self.roles, self.desks, self.line = roles, desks, line
        self.TITLE = N_("Edit employee") if line else N_("New employee")

    def fields(self) -> ComposeResult:
        line = self.line
        if line is None:
            yield Label(_("Login"))
            yield Input(id="login", max_length=32)
            yield Label(_("Temporary password (changed at the first sign-in)"))
            yield Input(id="password", password=True, max_length=200)
        yield Label(_("Full name"))
        yield Input(line.full_name if line else "", id="name", max_length=100)
        yield Label(_("Mobile (for the sign-in code)"))
        yield Input((line.mobile or "") if line else "", id="mobile", max_length=50)
        yield Label(_("Role"))
        roles = [(f"{_(r.name)} ({r.code})", r.code) for r in self.roles]
        yield Select(roles, value=line.role if line else "operator", id="role", allow_blank=False, compact=True)
        yield Label(_("Desks, separated by commas"))
        yield Input(", ".join(d.name for d in line.desks) if line else "", id="desks", max_length=500)
        for field, label in (("phone", N_("Phone")), ("email", N_("E-mail")), ("country", N_("Country"))):
            yield Label(_("Mask: {field}").format(field=_(label)))
            choices = [(_(text), code) for code, text in MASK_CHOICES]
            value = _mask(getattr(line, f"mask_{field}")) if line else "role"
            yield Select(choices, value=value, id=f"mask_{field}", allow_blank=False, compact=True)
        yield Label(_("Read-only (no editing of client data)"))
        value = _tri(line.read_only) if line else "role"
        yield Select([(_(t), c) for c, t in TRI], value=value, id="read_only", allow_blank=False, compact=True)

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _value(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def _desk_ids(self) -> list[int]:
        by_name = {name.casefold(): i for i, name in self.desks.items()}
        names = [n.strip() for n in self._text("desks").split(",") if n.strip()]
        unknown = [n for n in names if n.casefold() not in by_name]
        if unknown:
            raise ValueError(_("No desk named '{name}'.").format(name=unknown[0]))
        return [by_name[n.casefold()] for n in names]

    def _state(self) -> dict[str, Any]:
        return {
            "name": self._text("name"),
            "mobile": self._text("mobile"),
            "role": self._value("role"),
            "desks": [self.desks[i] for i in self._desk_ids()],
            **{f"mask_{f}": self._value(f"mask_{f}") for f in ("phone", "email", "country")},
            "read_only": self._value("read_only"),
        }

    def fields_of(self, line: EmployeeLine | None) -> dict[str, Any]:
        if line is None:
            return {}
        return {
            "name": line.full_name, "mobile": line.mobile or "", "role": line.role,
            "desks": [d.name for d in line.desks], "mask_phone": _mask(line.mask_phone),
            "mask_email": _mask(line.mask_email), "mask_country": _mask(line.mask_country),
            "read_only": _tri(line.read_only),
        }  # fmt: skip

    def changes(self) -> list[str]:
        state = self._state()
        if self.line is None:
            state = {"login": self._text("login"), **state}
        return change_lines(self._before(), state)

    def save(self, console: Any) -> object:
        state, before = self._state(), self._before()
        desk_ids = self._desk_ids()
        if self.line is None:
            new = NewEmployee(
                login=self._text("login"), full_name=state["name"], password=self.query_one("#password", Input).value,
                role=state["role"], desk_ids=desk_ids, mobile=state["mobile"] or None,
                totp=not state["mobile"],
            )  # fmt: skip
            return console.add_employee(new)
        keys = {"name": "full_name", "desks": "desk_ids"}
        values: dict[str, Any] = {}
        for key, value in state.items():
            if before.get(key) != value:
                values[keys.get(key, key)] = desk_ids if key == "desks" else value
        if "mobile" in values:
            values["mobile"] = values["mobile"] or None
        return console.edit_employee(self.line.id, EmployeeEdit(expected_version=self.line.version, **values))

    def current(self, console: Any) -> EmployeeLine | None:
        return console.admin_employee(self.line.id) if self.line else None
