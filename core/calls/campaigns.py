"""K16 campaign management: list, create, edit, pause and resume; the call list filled by ids (a
search, a view, an import: `core.imports`), clients removed, and recycling.

Rules: a campaign's script is accepted only when `core.calls.scripts.check_script_text` finds no
problem; every accepted text is a new version and older versions stay (a call started on one saves
against it). Retry delays and the cap of unreached attempts are per campaign, the constants of
`core.calls.rules` by default. Recycling puts exhausted clients, or those whose last result is one
chosen, back on the list after a delay — never a do-not-disturb client, nor one without an active
(not struck) phone; adding to the list skips those too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, Field

from core.access.rules import Permission
from core.calls.scripts import check_script_text
from core.errors import NotFound, ValidationFailed
from core.shapes import Code, Id, Shape, text

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock

IDS_MAX = 5000  # clients added or removed by one call (within the API body limit)
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
Hours = text(5)


class CampaignSpec(Shape):
    """A new campaign, or every editable setting of one (None: the default of core.calls.rules)."""

    code: Code
    name: text(200, 1)  # type: ignore[valid-type]
    desk_id: Id | None = None
    script: text(30_000) = ""  # the API body limit holds it in UTF-8  # type: ignore[valid-type]
    call_start: Hours | None = None  # HH:MM, local time
    call_end: Hours | None = None
    retry_first_min: int | None = Field(default=None, ge=1, le=60 * 24 * 30, strict=True)
    retry_next_min: int | None = Field(default=None, ge=1, le=60 * 24 * 30, strict=True)
    max_attempts: int | None = Field(default=None, ge=1, le=50, strict=True)
    priority: int = Field(default=0, ge=-100, le=100, strict=True)


class RecyclePlan(Shape):
    """Who comes back: exhausted clients and/or those whose last result is one of `results`."""

    exhausted: bool = True
    results: list[Code] = Field(default_factory=list, max_length=50)
    delay_min: int = Field(default=0, ge=0, le=60 * 24 * 365, strict=True)


class Campaign(BaseModel):
    id: int
    code: str
    name: str
    active: bool
    desk_id: int | None
    priority: int
    call_start: str | None
    call_end: str | None
    retry_first_min: int | None
    retry_next_min: int | None
    max_attempts: int | None
    script_version: int
    members: int = 0  # on the list now (new, call-back, retry)
    off_list: int = 0  # done or exhausted
    # the list's health (as the floor counts it): to call first, to call again, out of attempts,
    # and the do-not-disturb clients on the list (counted apart from fresh and retries)
    fresh: int = 0
    retries: int = 0
    exhausted: int = 0
    do_not_disturb: int = 0


@dataclass(frozen=True)
class Recycle:
    campaign_id: int
    exhausted: bool
    results: tuple[str, ...]
    due: datetime
    at: datetime


class CampaignsStore(Protocol):
    def campaign_rows(self, desk_ids: list[int] | None, campaign_id: int | None = None) -> list[Campaign]:
        """Campaigns of the desks (None: all; a campaign of no desk is everyone's) with list counts."""
        ...

    def save_campaign(self, campaign_id: int | None, spec: CampaignSpec, employee_id: int | None, at: datetime) -> int:
        """Insert or update; a changed script text becomes the next version (campaign_script)."""
        ...

    def set_campaign_active(self, campaign_id: int, active: bool) -> None: ...
    def add_members(self, campaign_id: int, client_ids: list[int], desk_ids: list[int] | None, at: datetime) -> int:
        """Adds the clients of the desks who are not on the list, not do-not-disturb and have an active
        phone; the number added."""
        ...

    def remove_members(self, campaign_id: int, client_ids: list[int]) -> int: ...
    def recycle_members(self, plan: Recycle) -> int:
        """One UPDATE by the recycling rule above; the number back on the list."""
        ...

    def script_version(self, campaign_id: int, version: int) -> str | None: ...


class CampaignsPort(Protocol):
    """K16 management: part of `core.port.Console`."""

    def list_campaigns(self) -> list[Campaign]: ...
    def create_campaign(self, spec: CampaignSpec) -> Campaign: ...
    def edit_campaign(self, campaign_id: int, spec: CampaignSpec) -> Campaign: ...
    def pause_campaign(self, campaign_id: int) -> Campaign: ...
    def resume_campaign(self, campaign_id: int) -> Campaign: ...
    def add_to_campaign(self, campaign_id: int, client_ids: list[int]) -> int: ...
    def remove_from_campaign(self, campaign_id: int, client_ids: list[int]) -> int: ...
    def recycle_campaign(self, campaign_id: int, plan: RecyclePlan) -> int: ...
    def campaign_script_version(self, campaign_id: int, version: int) -> str: ...


class CampaignOperations:
    """K16 management for `core.console.LocalConsole`; needs MANAGE_CAMPAIGNS and the desk rule (S4)."""

    repo: CampaignsStore
    clock: Clock

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _require(self, permission: Permission, what: str) -> None: ...

    def _manager(self) -> list[int] | None:
        self.whoami()
        self._require(Permission.MANAGE_CAMPAIGNS, "manage campaigns")
        return self._desks()

    def _managed(self, campaign_id: int) -> Campaign:
        found = self.repo.campaign_rows(self._manager(), campaign_id)
        if not found:
            raise NotFound(f"No campaign {campaign_id} for you.")
        return found[0]

    def list_campaigns(self) -> list[Campaign]:
        return self.repo.campaign_rows(self._manager())

    def _checked(self, spec: CampaignSpec) -> CampaignSpec:
        desks = self._manager()
        if spec.desk_id is not None and desks is not None and spec.desk_id not in desks:
            raise NotFound(f"No desk {spec.desk_id} for you.")
        if spec.desk_id is None and desks is not None:
            raise ValidationFailed("Choose one of your desks for the campaign.", field="desk_id")
        if spec.desk_id is not None and desks is None and spec.desk_id not in {d.id for d in self.repo.admin_desks()}:
            raise NotFound(f"No desk {spec.desk_id}.")  # every desk is open to this employee: only unknown ones
        for name in ("call_start", "call_end"):
            value = getattr(spec, name)
            if value is not None and not _HOURS.match(value):
                raise ValidationFailed("Calling hours are HH:MM.", field=name)
        if spec.call_start and spec.call_end and spec.call_start >= spec.call_end:
            raise ValidationFailed("The calling hours end before they start.", field="call_end")
        if spec.script.strip():
            problems = check_script_text(spec.script)
            if problems:
                raise ValidationFailed("The script has problems: " + "; ".join(problems[:5]), field="script")
        return spec

    def create_campaign(self, spec: CampaignSpec) -> Campaign:
        me = self.whoami()
        campaign_id = self.repo.save_campaign(None, self._checked(spec), me.id or None, self.clock.now())
        return self._managed(campaign_id)

    def edit_campaign(self, campaign_id: int, spec: CampaignSpec) -> Campaign:
        me = self.whoami()
        self._managed(campaign_id)
        self.repo.save_campaign(campaign_id, self._checked(spec), me.id or None, self.clock.now())
        return self._managed(campaign_id)

    def pause_campaign(self, campaign_id: int) -> Campaign:
        self._managed(campaign_id)
        self.repo.set_campaign_active(campaign_id, False)
        return self._managed(campaign_id)

    def resume_campaign(self, campaign_id: int) -> Campaign:
        self._managed(campaign_id)
        self.repo.set_campaign_active(campaign_id, True)
        return self._managed(campaign_id)

    def add_to_campaign(self, campaign_id: int, client_ids: list[int]) -> int:
        """Fill the list from ids (a search, a view, an import); the number added."""
        self._managed(campaign_id)
        _limit(client_ids)
        return self.repo.add_members(campaign_id, sorted(set(client_ids)), self._desks(), self.clock.now())

    def remove_from_campaign(self, campaign_id: int, client_ids: list[int]) -> int:
        self._managed(campaign_id)
        _limit(client_ids)
        return self.repo.remove_members(campaign_id, sorted(set(client_ids)))

    def recycle_campaign(self, campaign_id: int, plan: RecyclePlan) -> int:
        from core.calls.catalogue import catalogue

        self._managed(campaign_id)
        unknown = sorted(set(plan.results) - set(catalogue().codes))
        if unknown:
            raise ValidationFailed(f"Unknown result '{unknown[0]}'.", field="results")
        if not plan.exhausted and not plan.results:
            raise ValidationFailed("Choose exhausted clients or results to recycle.", field="results")
        now = self.clock.now()
        recycle = Recycle(
            campaign_id, plan.exhausted, tuple(plan.results), now + timedelta(minutes=plan.delay_min), now
        )
        return self.repo.recycle_members(recycle)

    def campaign_script_version(self, campaign_id: int, version: int) -> str:
        """One version's text; 0: the current one."""
        self._managed(campaign_id)
        found = self.repo.script_version(campaign_id, version)
        if found is None:
            raise NotFound(f"No version {version} of this campaign's script.")
        return found


def _limit(ids: list[int]) -> None:
    if len(ids) > IDS_MAX:
        raise ValidationFailed(f"At most {IDS_MAX} clients at a time.", field="client_ids")
