"""Roles (S3) and desks (S4) of the administration operations; mixed into `AdminOperations`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.admin import rules
from core.admin.inputs import NewRole, RoleEdit
from core.admin.models import AuditChange, DeskLine, RoleLine
from core.admin.store import AuditRecord, Facts, NewRoleRecord, RoleState, RoleWrite
from core.errors import Conflict, NotFound, ValidationFailed

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.repository import Repository

STALE_ROLE = "Someone changed this role meanwhile (now version {now}, you edited {was}): reopen and edit again."
ROLE_IN_USE = "The role is given to {n} employee(s): give them another role first."
SEVERAL_DESKS = "{n} employee(s) of this role belong to several desks: leave them one desk first."


class RoleOperations:
    repo: Repository

    if TYPE_CHECKING:

        def _admin(self) -> EmployeeInfo: ...
        def _audit_record(self, action: str, target: str, changes: list[AuditChange]) -> AuditRecord: ...
        def _desks(self) -> list[int] | None: ...

    def admin_roles(self) -> list[RoleLine]:
        self._admin()
        return self.repo.admin_roles()

    def add_role(self, new: NewRole) -> RoleLine:
        self._admin()
        code = rules.check_role_code(new.code)
        name = rules.check_name(new.name, "name")
        perms = rules.check_permissions(new.permissions)

        def step(facts: Facts) -> NewRoleRecord:
            if code in facts.roles:
                raise ValidationFailed(f"A role '{code}' exists already.", field="code")
            masks: dict[str, bool | None] = dict.fromkeys(rules.MASKABLE)
            read_only, chosen = False, perms
            if new.copy_from is not None:
                source = facts.roles.get(new.copy_from)
                if source is None:
                    raise ValidationFailed(f"Unknown role '{new.copy_from}'.", field="copy_from")
                chosen = perms if new.permissions else sorted(source.permissions)
                masks = {f: getattr(source, f"mask_{f}") for f in rules.MASKABLE}
                read_only = source.read_only
            shown = {"name": name, "permissions": chosen, "copied_from": new.copy_from}
            audit = self._audit_record("role_added", code, rules.changes({}, shown))
            return NewRoleRecord(code, name, ",".join(sorted(set(chosen))), masks, read_only, audit)

        return self.repo.admin_add_role(step)

    def _role_step(self, role_id: int, expected: int, decide):  # type: ignore[no-untyped-def]
        def step(state: RoleState) -> RoleWrite | None:
            if state.line.version != expected:
                raise Conflict(STALE_ROLE.format(now=state.line.version, was=expected), current=state.line)
            return decide(state)

        return step

    def edit_role(self, role_id: int, edit: RoleEdit) -> RoleLine:
        self._admin()
        name = rules.check_name(edit.name, "name") if edit.name is not None else None
        perms = rules.check_permissions(edit.permissions) if edit.permissions is not None else None

        def decide(state: RoleState) -> RoleWrite | None:
            line, values = state.line, {}
            old: dict[str, object] = {}
            new: dict[str, object] = {}
            if name is not None:
                old["name"], new["name"], values["name"] = line.name, name, name
            if perms is not None:
                if Permission.MANAGE_USERS in line.permissions and Permission.MANAGE_USERS not in perms:
                    rules.keeps_an_admin(state.admins_outside, False)
                if (
                    Permission.ALL_DESKS in line.permissions
                    and Permission.ALL_DESKS not in perms
                    and state.on_several_desks
                ):
                    raise ValidationFailed(SEVERAL_DESKS.format(n=state.on_several_desks), field="permissions")
                old["permissions"], new["permissions"] = line.permissions, perms
                values["permissions"] = ",".join(perms)
            for field in rules.MASKABLE:
                value = getattr(edit, f"mask_{field}")
                if value is not None:
                    old[f"mask_{field}"] = rules.mask_value(getattr(line, f"mask_{field}"), "default")
                    new[f"mask_{field}"] = value
                    values[f"mask_{field}"] = rules.parse_mask(value, "default")
            if edit.read_only is not None:
                old["read_only"], new["read_only"], values["read_only"] = line.read_only, edit.read_only, edit.read_only
            changed = rules.changes(old, new)
            if not changed:
                return None
            return RoleWrite(self._audit_record("role_edited", line.code, changed), values)

        line = self.repo.admin_change_role(role_id, self._role_step(role_id, edit.expected_version, decide))
        assert line is not None
        return line

    def delete_role(self, role_id: int, expected_version: int) -> None:
        """A role in use cannot be deleted."""
        self._admin()

        def decide(state: RoleState) -> RoleWrite:
            if state.line.members:
                raise ValidationFailed(ROLE_IN_USE.format(n=state.line.members), field="role")
            changed = rules.changes({"name": state.line.name}, {"name": None})
            return RoleWrite(self._audit_record("role_deleted", state.line.code, changed), delete=True)

        self.repo.admin_change_role(role_id, self._role_step(role_id, expected_version, decide))

    # --- desks ----------------------------------------------------------------------------

    def admin_desks(self) -> list[DeskLine]:
        self._admin()
        mine = self._desks()
        return [d for d in self.repo.admin_desks() if mine is None or d.id in mine]

    def add_desk(self, name: str) -> DeskLine:
        me = self._admin()
        if Permission.ALL_DESKS not in me.permissions:
            raise ValidationFailed("Only an administrator of every desk creates desks.", field="name")
        name = rules.check_name(name, "name")
        return self.repo.admin_add_desk(name, self._audit_record("desk_added", name, rules.changes({}, {"name": name})))

    def rename_desk(self, desk_id: int, name: str) -> DeskLine:
        self._admin()
        mine = self._desks()
        if mine is not None and desk_id not in mine:
            raise NotFound(f"No desk with id {desk_id}.")
        name = rules.check_name(name, "name")

        def audit(old: str) -> AuditRecord:
            return self._audit_record("desk_renamed", name, rules.changes({"name": old}, {"name": name}))

        return self.repo.admin_rename_desk(desk_id, name, audit)
