"""The employee every rule is checked for: permissions and desks, shared by the areas' operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.models import EmployeeInfo
from core.access.rules import Permission, desk_visible
from core.clock import Clock
from core.errors import PermissionDenied

if TYPE_CHECKING:
    from core.repository import Repository


class Acting:
    """Mixed into `core.console.LocalConsole`; `whoami` comes from `core.access.session`."""

    repo: Repository
    clock: Clock
    phone_region: str
    address: str
    _me: EmployeeInfo | None

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...

    @property
    def _perms(self) -> frozenset[str]:
        me = self.whoami()
        return frozenset() if me.must_change_password else frozenset(me.permissions)

    def _masked(self, field: str) -> bool:
        """S5: is `field` ("phone", "email", "country") masked for this employee."""
        return masked_for(self.whoami(), field)

    def _recorded_id(self) -> int | None:
        """Who a write is recorded under: the employee, or None (nobody) for the local administrator
        of the command line (id 0), which has no employee row."""
        return self.whoami().id or None

    def _as_employee(self, refusal: PermissionDenied) -> EmployeeInfo:
        """The employee, for what is a person's by nature; the local administrator gets `refusal`
        ("Sign in as an employee to … (on the command line: --as LOGIN).")."""
        me = self.whoami()
        if not me.id:
            raise refusal
        return me

    def _require(self, permission: Permission, what: str) -> None:
        if permission not in self._perms:
            raise PermissionDenied(f"Your role may not {what}.")

    def _desks(self) -> list[int] | None:
        """Desks the employee sees (S4); None means every desk."""
        return desks_of(self.whoami())

    def _visible(self, desk_id: int | None) -> bool:
        return desk_visible(desk_id, self._desks())


def masked_for(me: EmployeeInfo, field: str) -> bool:
    """S5: is `field` ("phone", "email", "country") masked for `me`."""
    if me.masked is not None:
        return field in me.masked
    return field != "country" and Permission.VIEW_CONTACTS not in me.permissions


def desks_of(me: EmployeeInfo) -> list[int] | None:
    """Desks `me` sees (S4); None means every desk."""
    if me.must_change_password:  # after a reset: no client data until a new password is set
        return []
    return None if Permission.ALL_DESKS in me.permissions else me.desk_ids
