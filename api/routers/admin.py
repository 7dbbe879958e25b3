"""Administration (S3-S6): employees, roles, desks, the audit log; and one's own new password.

Every route but POST /auth/password needs the administration permission (403 otherwise); an
administrator without the all-desks permission sees and changes only employees of their desks
(404 otherwise); a stale `expected_version` answers 409 with the record as stored now (`current`); the audit log is append-only (no route
changes or deletes it) and its file needs the export permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.responses import Response
from pydantic import ValidationError as PydanticError

from api.deps import SignedInConsole
from api.errors import responses, stale
from core.admin.inputs import (
    ActiveEdit,
    AuditFilter,
    DeskName,
    EmployeeEdit,
    EmployeeFilter,
    NewEmployee,
    NewRole,
    OwnPassword,
    PasswordReset,
    RoleEdit,
    SecondFactorEdit,
    ZoneEdit,
)
from core.admin.models import AuditLine, DeskLine, EmployeeLine, PermissionInfo, RegionLine, RoleLine, SecondFactor
from core.errors import ValidationFailed
from core.shapes import MAX_ID

router = APIRouter(prefix="/admin", tags=["admin"], responses=responses(403))
own = APIRouter(prefix="/auth", tags=["auth"])

EmployeeId = Annotated[int, Path(ge=1, le=MAX_ID, description="Employee id")]
RoleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Role id")]
DeskId = Annotated[int, Path(ge=1, le=MAX_ID, description="Desk id")]
RegionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Region id")]
DAY = r"^\d{4}-\d{2}-\d{2}$"
Version = Annotated[int, Query(ge=0, le=MAX_ID, description="The version read")]


async def audit_filter(
    actor: Annotated[str | None, Query(max_length=32)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    target: Annotated[str | None, Query(max_length=100)] = None,
    start: Annotated[str | None, Query(pattern=DAY, max_length=10, description="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(pattern=DAY, max_length=10, description="Last day, YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditFilter:
    try:
        return AuditFilter(actor=actor, action=action, target=target, start=start, end=end, limit=limit)
    except PydanticError:
        raise ValidationFailed("Dates are YYYY-MM-DD.", field="start") from None


Filter = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("/permissions", response_model=list[PermissionInfo])
def permissions(console: SignedInConsole) -> list[PermissionInfo]:
    """S3: every permission a role may hold, explained."""
    return console.admin_permissions()


@router.get("/employees", response_model=list[EmployeeLine])
def employees(
    console: SignedInConsole,
    desk_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    role: Annotated[str | None, Query(max_length=32)] = None,
    active: bool | None = None,
) -> list[EmployeeLine]:
    """Employees by desk, role and activity (of the administrator's desks only)."""
    return console.admin_employees(EmployeeFilter(desk_id=desk_id, role=role, active=active))


@router.post("/employees", response_model=SecondFactor, status_code=status.HTTP_201_CREATED, responses=responses(422))
def add_employee(body: NewEmployee, console: SignedInConsole) -> SecondFactor:
    """A new employee; they choose their own password at the first sign-in. With TOTP, the URI to scan."""
    return console.add_employee(body)


@router.get("/employees/{employee_id}", response_model=EmployeeLine, responses=responses(404))
def employee(employee_id: EmployeeId, console: SignedInConsole) -> EmployeeLine:
    return console.admin_employee(employee_id)


@router.patch("/employees/{employee_id}", response_model=EmployeeLine, responses=stale(EmployeeLine))
def edit_employee(employee_id: EmployeeId, body: EmployeeEdit, console: SignedInConsole) -> EmployeeLine:
    """Name, mobile, role, desks, masking and read-only; what is left out stays. Takes effect at the
    employee's next request."""
    return console.edit_employee(employee_id, body)


@router.put("/employees/{employee_id}/active", response_model=EmployeeLine, responses=stale(EmployeeLine))
def set_active(employee_id: EmployeeId, body: ActiveEdit, console: SignedInConsole) -> EmployeeLine:
    """Disable (every session ends) or enable; never the last active administrator."""
    return console.set_employee_active(employee_id, body)


@router.post("/employees/{employee_id}/password", response_model=EmployeeLine, responses=stale(EmployeeLine))
def reset_password(employee_id: EmployeeId, body: PasswordReset, console: SignedInConsole) -> EmployeeLine:
    """A temporary password: sessions end, blocks lift, a new password is asked at the next sign-in."""
    return console.reset_password(employee_id, body)


@router.post("/employees/{employee_id}/unlock", response_model=EmployeeLine, responses=responses(404))
def unlock(employee_id: EmployeeId, console: SignedInConsole) -> EmployeeLine:
    """Lift the failed-attempt blocks of the employee's login."""
    return console.unlock_employee(employee_id)


@router.put("/employees/{employee_id}/second-factor", response_model=SecondFactor, responses=stale(EmployeeLine))
def second_factor(employee_id: EmployeeId, body: SecondFactorEdit, console: SignedInConsole) -> SecondFactor:
    """SMS code or TOTP; switching to TOTP answers the provisioning URI (once)."""
    return console.set_second_factor(employee_id, body)


@router.get("/roles", response_model=list[RoleLine])
def roles(console: SignedInConsole) -> list[RoleLine]:
    return console.admin_roles()


@router.post("/roles", response_model=RoleLine, status_code=status.HTTP_201_CREATED, responses=responses(422))
def add_role(body: NewRole, console: SignedInConsole) -> RoleLine:
    """A new role, or a copy of one (`copy_from`)."""
    return console.add_role(body)


@router.patch("/roles/{role_id}", response_model=RoleLine, responses=stale(RoleLine))
def edit_role(role_id: RoleId, body: RoleEdit, console: SignedInConsole) -> RoleLine:
    """Rename, permissions, masking, read-only: for every member at their next request."""
    return console.edit_role(role_id, body)


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT, responses=stale(RoleLine))
def delete_role(role_id: RoleId, expected_version: Version, console: SignedInConsole) -> None:
    """Only a role nobody has."""
    console.delete_role(role_id, expected_version)


@router.get("/desks", response_model=list[DeskLine])
def desks(console: SignedInConsole) -> list[DeskLine]:
    return console.admin_desks()


@router.post("/desks", response_model=DeskLine, status_code=status.HTTP_201_CREATED, responses=responses(422))
def add_desk(body: DeskName, console: SignedInConsole) -> DeskLine:
    return console.add_desk(body.name)


@router.put("/desks/{desk_id}", response_model=DeskLine, responses=responses(404, 422))
def rename_desk(desk_id: DeskId, body: DeskName, console: SignedInConsole) -> DeskLine:
    return console.rename_desk(desk_id, body.name)


@router.put("/desks/{desk_id}/timezone", response_model=DeskLine, responses=stale(DeskLine))
def set_desk_timezone(desk_id: DeskId, body: ZoneEdit, console: SignedInConsole) -> DeskLine:
    """The IANA zone of the desk's clients' calling hours (null: the console's); audited."""
    return console.set_desk_timezone(desk_id, body)


@router.get("/regions", response_model=list[RegionLine])
def regions(console: SignedInConsole) -> list[RegionLine]:
    return console.admin_regions()


@router.put("/regions/{region_id}/timezone", response_model=RegionLine, responses=stale(RegionLine))
def set_region_timezone(region_id: RegionId, body: ZoneEdit, console: SignedInConsole) -> RegionLine:
    """The IANA zone of the region's clients' calling hours (null: the desk's); needs every desk."""
    return console.set_region_timezone(region_id, body)


@router.get("/audit", response_model=list[AuditLine])
def audit(console: SignedInConsole, flt: Filter) -> list[AuditLine]:
    """The audit log of administration, newest first (append-only)."""
    return console.admin_audit(flt)


@router.post(
    "/audit/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The file."}},
)
def export_audit(flt: AuditFilter, console: SignedInConsole) -> Response:
    """The audit log as CSV (needs the export permission)."""
    file = console.export_admin_audit(flt)
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


@own.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 422))
def change_password(body: OwnPassword, console: SignedInConsole) -> None:
    """One's own new password: the way on after a reset (`must_change_password`)."""
    console.change_own_password(body.password)
