"""Administration over HTTP (`core.admin.port.AdminPort`), mixed into `storage.remote.RemoteConsole`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ValidationError

from core.access.models import EmployeeInfo
from core.admin.inputs import (
    ActiveEdit,
    AuditFilter,
    EmployeeEdit,
    EmployeeFilter,
    NewEmployee,
    NewRole,
    PasswordReset,
    RoleEdit,
    SecondFactorEdit,
    ZoneEdit,
)
from core.admin.models import AuditLine, DeskLine, EmployeeLine, PermissionInfo, RegionLine, RoleLine, SecondFactor
from core.errors import Conflict
from core.reports.models import ExportFile
from storage.remote.base import RemoteBase, _id

_FILENAME = re.compile(r'filename="([^"]+)"')


def _query(flt: Any) -> dict[str, Any]:
    return {k: v for k, v in flt.model_dump(mode="json").items() if v is not None}


@contextmanager
def _admin_stale(shape: type[BaseModel]) -> Iterator[None]:
    """A 409 raises the same Conflict as the local console: `current` parsed into the record's shape."""
    try:
        yield
    except Conflict as exc:
        if not isinstance(exc.current, dict):
            raise
        try:
            current = shape.model_validate(exc.current)
        except ValidationError:
            current = None
        raise Conflict(exc.message, current=current) from None


class RemoteAdmin(RemoteBase):
    def admin_permissions(self) -> list[PermissionInfo]:
        return self._get("/admin/permissions", list[PermissionInfo])

    def admin_employees(self, flt: EmployeeFilter) -> list[EmployeeLine]:
        params = _query(flt)
        if "active" in params:
            params["active"] = "true" if params["active"] else "false"
        return self._get("/admin/employees", list[EmployeeLine], **params)

    def admin_employee(self, employee_id: int) -> EmployeeLine:
        return self._get(f"/admin/employees/{_id(employee_id)}", EmployeeLine)

    def add_employee(self, new: NewEmployee) -> SecondFactor:
        return self._send("POST", "/admin/employees", SecondFactor, new)

    def edit_employee(self, employee_id: int, edit: EmployeeEdit) -> EmployeeLine:
        with _admin_stale(EmployeeLine):
            body = edit.model_dump(mode="json", include=edit.model_fields_set | {"expected_version"})
            return self._send("PATCH", f"/admin/employees/{_id(employee_id)}", EmployeeLine, body)

    def set_employee_active(self, employee_id: int, edit: ActiveEdit) -> EmployeeLine:
        with _admin_stale(EmployeeLine):
            return self._send("PUT", f"/admin/employees/{_id(employee_id)}/active", EmployeeLine, edit)

    def reset_password(self, employee_id: int, reset: PasswordReset) -> EmployeeLine:
        with _admin_stale(EmployeeLine):
            return self._send("POST", f"/admin/employees/{_id(employee_id)}/password", EmployeeLine, reset)

    def unlock_employee(self, employee_id: int) -> EmployeeLine:
        return self._send("POST", f"/admin/employees/{_id(employee_id)}/unlock", EmployeeLine)

    def set_second_factor(self, employee_id: int, edit: SecondFactorEdit) -> SecondFactor:
        with _admin_stale(EmployeeLine):
            return self._send("PUT", f"/admin/employees/{_id(employee_id)}/second-factor", SecondFactor, edit)

    def admin_roles(self) -> list[RoleLine]:
        return self._get("/admin/roles", list[RoleLine])

    def add_role(self, new: NewRole) -> RoleLine:
        return self._send("POST", "/admin/roles", RoleLine, new)

    def edit_role(self, role_id: int, edit: RoleEdit) -> RoleLine:
        with _admin_stale(RoleLine):
            body = edit.model_dump(mode="json", include=edit.model_fields_set | {"expected_version"})
            return self._send("PATCH", f"/admin/roles/{_id(role_id)}", RoleLine, body)

    def delete_role(self, role_id: int, expected_version: int) -> None:
        with _admin_stale(RoleLine):
            self._request("DELETE", f"/admin/roles/{_id(role_id)}", params={"expected_version": expected_version})

    def admin_desks(self) -> list[DeskLine]:
        return self._get("/admin/desks", list[DeskLine])

    def add_desk(self, name: str) -> DeskLine:
        return self._send("POST", "/admin/desks", DeskLine, {"name": name})

    def rename_desk(self, desk_id: int, name: str) -> DeskLine:
        return self._send("PUT", f"/admin/desks/{_id(desk_id)}", DeskLine, {"name": name})

    def set_desk_timezone(self, desk_id: int, edit: ZoneEdit) -> DeskLine:
        with _admin_stale(DeskLine):
            return self._send("PUT", f"/admin/desks/{_id(desk_id)}/timezone", DeskLine, edit)

    def admin_regions(self) -> list[RegionLine]:
        return self._get("/admin/regions", list[RegionLine])

    def set_region_timezone(self, region_id: int, edit: ZoneEdit) -> RegionLine:
        with _admin_stale(RegionLine):
            return self._send("PUT", f"/admin/regions/{_id(region_id)}/timezone", RegionLine, edit)

    def admin_audit(self, flt: AuditFilter) -> list[AuditLine]:
        return self._get("/admin/audit", list[AuditLine], **_query(flt))

    def export_admin_audit(self, flt: AuditFilter) -> ExportFile:
        response = self._request("POST", "/admin/audit/export", json=flt.model_dump(mode="json"))
        found = _FILENAME.search(response.headers.get("content-disposition", ""))
        return ExportFile(
            filename=found.group(1) if found else "admin_audit.csv",
            media_type=response.headers.get("content-type", "text/csv"),
            content=response.content,
        )

    def change_own_password(self, password: str) -> None:
        self._request("POST", "/auth/password", json={"password": password})
        me = self._get("/auth/me", EmployeeInfo)
        with self._lock:
            self._me = me
