"""Administration of the local Console (`core.admin.port.AdminPort`): every rule decided here, in
the store's transaction (`core.admin.store`), every change written to the audit log with old -> new."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

import pyotp

from core.access.rules import Permission
from core.access.sign_in import hash_password, new_totp_secret
from core.access.throttle import LOGIN_AT_ADDRESS
from core.admin import rules
from core.admin.inputs import (
    ActiveEdit,
    AuditFilter,
    EmployeeEdit,
    EmployeeFilter,
    NewEmployee,
    PasswordReset,
    SecondFactorEdit,
)
from core.admin.models import AuditChange, AuditLine, EmployeeLine, PermissionInfo, SecondFactor
from core.admin.roles import RoleOperations
from core.admin.store import AuditRecord, EmployeeState, EmployeeWrite, Facts, NewEmployeeRecord
from core.admin.zones import ZoneOperations
from core.clients.phones import normalize_phone
from core.errors import Conflict, NotFound, ValidationFailed
from core.reports.models import ExportFile

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.repository import Repository

ISSUER = "crm-console"
STALE_EMPLOYEE = "Someone changed this employee meanwhile (now version {now}, you edited {was}): reopen and edit again."


class AdminOperations(RoleOperations, ZoneOperations):
    """Mixed into `core.console.LocalConsole`."""

    repo: Repository
    clock: Clock

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _require(self, permission: Permission, what: str) -> None: ...
        def _desks(self) -> list[int] | None: ...

    # --- helpers --------------------------------------------------------------------------

    def _admin(self) -> EmployeeInfo:
        self._require(Permission.MANAGE_USERS, "administer employees, roles and desks")
        return self.whoami()

    def _audit_record(self, action: str, target: str, changes: list[AuditChange]) -> AuditRecord:
        me = self.whoami()
        return AuditRecord(self.clock.now(), me.id or None, me.login, action, target, changes)

    def _may_manage(self, line: EmployeeLine) -> bool:
        desks = self._desks()
        return desks is None or any(d.id in desks for d in line.desks)

    def _desk_ids(self, ids: list[int], facts: Facts) -> list[int]:
        unknown = [i for i in ids if i not in facts.desks]
        if unknown:
            raise ValidationFailed(f"No desk with id {unknown[0]}.", field="desk_ids")
        mine = self._desks()
        if mine is not None and any(i not in mine for i in ids):
            raise ValidationFailed("You may give only desks of your own.", field="desk_ids")
        return sorted(set(ids))

    def _not_myself(self, employee_id: int, field: str) -> None:
        """One's own password and second factor are not reset here: it would end one's own session."""
        if employee_id == self.whoami().id:
            raise ValidationFailed(
                "Not for yourself: another administrator resets your password or second factor.", field
            )

    @staticmethod
    def _mobile(text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        e164 = normalize_phone(text)
        if not e164:
            raise ValidationFailed("The mobile number is not valid.", field="mobile")
        return e164

    def _change(self, employee_id: int, expected: int | None, decide) -> EmployeeLine:  # type: ignore[no-untyped-def]
        """Run `decide(state) -> EmployeeWrite | None` on the employee, after the desk and version checks."""
        self._admin()

        def step(state: EmployeeState) -> EmployeeWrite | None:
            if not self._may_manage(state.line):
                raise NotFound(f"No employee with id {employee_id}.")
            if expected is not None and state.line.version != expected:
                raise Conflict(STALE_EMPLOYEE.format(now=state.line.version, was=expected), current=state.line)
            return decide(state)

        return self.repo.admin_change_employee(employee_id, step)

    # --- reading --------------------------------------------------------------------------

    def admin_permissions(self) -> list[PermissionInfo]:
        self._admin()
        return [PermissionInfo(code=p.value, text=rules.PERMISSION_LABELS[p]) for p in Permission]

    def admin_employees(self, flt: EmployeeFilter) -> list[EmployeeLine]:
        self._admin()
        return self.repo.admin_employees(flt, self._desks())

    def admin_employee(self, employee_id: int) -> EmployeeLine:
        self._admin()
        line = self.repo.admin_employee(employee_id)
        if line is None or not self._may_manage(line):
            raise NotFound(f"No employee with id {employee_id}.")
        return line

    # --- employees ------------------------------------------------------------------------

    def add_employee(self, new: NewEmployee) -> SecondFactor:
        self._admin()
        login = rules.check_login(new.login)
        name = rules.check_name(new.full_name)
        rules.check_password(new.password)
        mobile = self._mobile(new.mobile)
        if not mobile and not new.totp:
            raise ValidationFailed("A mobile number (for the sign-in code) or TOTP is required.", field="mobile")
        secret = new_totp_secret() if new.totp else None

        def step(facts: Facts) -> NewEmployeeRecord:
            role = facts.roles.get(new.role)
            if role is None:
                raise ValidationFailed(f"Unknown role '{new.role}'.", field="role")
            desk_ids = self._desk_ids(new.desk_ids, facts)
            if not desk_ids and self._desks() is not None:
                raise ValidationFailed("Choose at least one desk.", field="desk_ids")
            rules.check_desk_count(role.permissions, desk_ids)
            shown = {"name": name, "role": role.code, "desks": [facts.desks[i] for i in desk_ids],
                     "mobile": mobile, "second_factor": "totp" if secret else "sms"}  # fmt: skip
            audit = self._audit_record("employee_added", login, rules.changes({}, shown))
            return NewEmployeeRecord(
                login, name, hash_password(new.password), role.id, desk_ids, mobile, secret, True, audit
            )

        line = self.repo.admin_add_employee(step)
        uri = pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=ISSUER) if secret else None
        return SecondFactor(login=line.login, channel=line.second_factor, provisioning_uri=uri)

    def edit_employee(self, employee_id: int, edit: EmployeeEdit) -> EmployeeLine:
        given = edit.model_fields_set - {"expected_version"}
        name = rules.check_name(edit.full_name) if edit.full_name is not None else None
        mobile = self._mobile(edit.mobile) if "mobile" in given else None

        def decide(state: EmployeeState) -> EmployeeWrite | None:
            line, values = state.line, {}
            old: dict[str, object] = {}
            new: dict[str, object] = {}
            if name is not None:
                old["name"], new["name"], values["full_name"] = line.full_name, name, name
            if "mobile" in given:
                if mobile is None and line.second_factor == "sms":
                    raise ValidationFailed("The sign-in code goes to the mobile: switch to TOTP first.", field="mobile")
                old["mobile"], new["mobile"], values["mobile"] = line.mobile, mobile, mobile
            if edit.role is not None:
                role = state.facts.roles.get(edit.role)
                if role is None:
                    raise ValidationFailed(f"Unknown role '{edit.role}'.", field="role")
                was_admin = Permission.MANAGE_USERS in state.facts.roles[line.role].permissions
                if was_admin and line.active:
                    rules.keeps_an_admin(state.admins_besides, Permission.MANAGE_USERS in role.permissions)
                old["role"], new["role"], values["role_id"] = line.role, role.code, role.id
            desk_ids = None
            if edit.desk_ids is not None:
                mine = self._desks()
                kept = [d.id for d in line.desks if mine is not None and d.id not in mine]  # not mine to take
                desk_ids = sorted(set(self._desk_ids(edit.desk_ids, state.facts)) | set(kept))
                old["desks"] = [d.name for d in line.desks]
                new["desks"] = [state.facts.desks[i] for i in desk_ids]
            if edit.role is not None or desk_ids is not None:
                role_now = state.facts.roles[edit.role or line.role]
                rules.check_desk_count(
                    role_now.permissions, desk_ids if desk_ids is not None else [d.id for d in line.desks]
                )
            for field in rules.MASKABLE:
                value = getattr(edit, f"mask_{field}")
                if value is not None:
                    old[f"mask_{field}"] = rules.mask_value(getattr(line, f"mask_{field}"), "role")
                    new[f"mask_{field}"] = value
                    values[f"mask_{field}"] = rules.parse_mask(value, "role")
            if edit.read_only is not None:
                old["read_only"] = {None: "role", True: "yes", False: "no"}[line.read_only]
                new["read_only"] = edit.read_only
                values["read_only"] = None if edit.read_only == "role" else edit.read_only == "yes"
            changed = rules.changes(old, new)
            if not changed:
                return None
            return EmployeeWrite(self._audit_record("employee_edited", line.login, changed), values, desk_ids)

        return self._change(employee_id, edit.expected_version, decide)

    def set_employee_active(self, employee_id: int, edit: ActiveEdit) -> EmployeeLine:
        def decide(state: EmployeeState) -> EmployeeWrite | None:
            line = state.line
            if line.active == edit.active:
                return None
            if not edit.active:
                if line.id == self.whoami().id:
                    raise ValidationFailed("You cannot disable yourself.", field="active")
                if Permission.MANAGE_USERS in state.facts.roles[line.role].permissions:
                    rules.keeps_an_admin(state.admins_besides, False)
            changed = rules.changes({"active": line.active}, {"active": edit.active})
            action = "employee_enabled" if edit.active else "employee_disabled"
            return EmployeeWrite(
                self._audit_record(action, line.login, changed), {"active": edit.active}, end_sessions=not edit.active
            )

        return self._change(employee_id, edit.expected_version, decide)

    def reset_password(self, employee_id: int, reset: PasswordReset) -> EmployeeLine:
        self._not_myself(employee_id, "password")
        rules.check_password(reset.password)
        digest = hash_password(reset.password)

        def decide(state: EmployeeState) -> EmployeeWrite:
            audit = self._audit_record("password_reset", state.line.login, [])  # never the password
            prefix = LOGIN_AT_ADDRESS.prefix(state.line.login.casefold())
            values = {"password_hash": digest, "must_change_password": True}
            return EmployeeWrite(audit, values, end_sessions=True, unlock_prefix=prefix)

        return self._change(employee_id, reset.expected_version, decide)

    def unlock_employee(self, employee_id: int) -> EmployeeLine:
        """Lift the failed-attempt blocks of the login at every address (core.access.throttle)."""

        def decide(state: EmployeeState) -> EmployeeWrite:
            audit = self._audit_record("employee_unlocked", state.line.login, [])
            return EmployeeWrite(audit, unlock_prefix=LOGIN_AT_ADDRESS.prefix(state.line.login.casefold()))

        return self._change(employee_id, None, decide)

    def set_second_factor(self, employee_id: int, edit: SecondFactorEdit) -> SecondFactor:
        self._not_myself(employee_id, "channel")
        secret = new_totp_secret() if edit.channel == "totp" else None

        def decide(state: EmployeeState) -> EmployeeWrite:
            line = state.line
            if edit.channel == "sms" and not line.mobile:
                raise ValidationFailed("Set a mobile number first: the sign-in code goes there.", field="channel")
            changed = rules.changes({"second_factor": line.second_factor}, {"second_factor": edit.channel})
            if edit.channel == "totp" and not changed:  # a new secret for the same channel: a new phone app
                changed = [AuditChange(field="second_factor", old="totp", new="totp (new secret)")]
            values = {"totp_secret": secret, "totp_last_counter": None}
            return EmployeeWrite(self._audit_record("second_factor", line.login, changed), values)

        line = self._change(employee_id, edit.expected_version, decide)
        uri = pyotp.TOTP(secret).provisioning_uri(name=line.login, issuer_name=ISSUER) if secret else None
        return SecondFactor(login=line.login, channel=edit.channel, provisioning_uri=uri)

    def change_own_password(self, password: str) -> None:
        me = self.whoami()
        if not me.id:
            raise ValidationFailed("The local administrator has no password.", field="password")
        rules.check_password(password)
        audit = self._audit_record("own_password", me.login, [])
        self.repo.set_own_password(me.id, hash_password(password), audit)

    # --- the audit log --------------------------------------------------------------------

    def admin_audit(self, flt: AuditFilter) -> list[AuditLine]:
        self._admin()
        if flt.start and flt.end and flt.start > flt.end:
            raise ValidationFailed("The period ends before it starts.", field="end")
        lo = datetime.combine(flt.start, time.min, UTC) if flt.start else None
        hi = datetime.combine(flt.end, time.max, UTC) if flt.end else None
        return self.repo.admin_audit(flt, lo, hi)

    def export_admin_audit(self, flt: AuditFilter) -> ExportFile:
        self._require(Permission.EXPORT, "export the audit log")
        lines = self.admin_audit(flt)
        day = self.clock.now().date().isoformat()
        return ExportFile(filename=f"admin_audit_{day}.csv", media_type="text/csv", content=rules.audit_csv(lines))
