"""The time zones of desks and regions (administration), local and remote, on both engines: an
IANA name checked by zoneinfo, the version read (409 with the record as stored now), the audit
line, the calling hours' zones read again, and who may change what."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.admin.inputs import AuditFilter, ZoneEdit
from core.admin.models import DeskLine, RegionLine
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.port import Console
from tests.api.world import DESK_B, World

SignIn = Callable[[str], Console]


def test_a_desk_time_zone_is_checked_versioned_and_audited(sign_in: SignIn, world: World) -> None:
    adm = sign_in("adm")
    desk = next(d for d in adm.admin_desks() if d.name == DESK_B)
    try:
        with pytest.raises(ValidationFailed) as bad:
            adm.set_desk_timezone(desk.id, ZoneEdit(timezone="Mars/Olympus", expected_version=desk.version))
        assert bad.value.field == "timezone" and "Mars/Olympus" in bad.value.message
        saved = adm.set_desk_timezone(desk.id, ZoneEdit(timezone="Asia/Omsk", expected_version=desk.version))
        assert (saved.timezone, saved.version) == ("Asia/Omsk", desk.version + 1)
        assert next(d for d in adm.admin_desks() if d.id == desk.id) == saved
        assert "Asia/Omsk" in world.crm.repo.call_zones()  # the calling hours follow it
        with pytest.raises(Conflict) as stale:
            adm.set_desk_timezone(desk.id, ZoneEdit(timezone="Asia/Tomsk", expected_version=desk.version))
        assert isinstance(stale.value.current, DeskLine) and stale.value.current.timezone == "Asia/Omsk"
        assert "Someone changed this desk meanwhile" in stale.value.message
        audit = adm.admin_audit(AuditFilter(action="desk_timezone", target=DESK_B))[0]
        assert [(c.field, c.old, c.new) for c in audit.changes] == [("timezone", desk.timezone, "Asia/Omsk")]
    finally:
        now = next(d for d in adm.admin_desks() if d.id == desk.id)
        adm.set_desk_timezone(desk.id, ZoneEdit(timezone=desk.timezone, expected_version=now.version))


def test_a_region_time_zone_needs_every_desk(sign_in: SignIn, world: World) -> None:
    adm = sign_in("adm")
    region = adm.admin_regions()[0]
    try:
        saved = adm.set_region_timezone(region.id, ZoneEdit(timezone="Asia/Omsk", expected_version=region.version))
        assert (saved.timezone, saved.version) == ("Asia/Omsk", region.version + 1)
        assert next(r for r in adm.admin_regions() if r.id == region.id) == saved
        with pytest.raises(Conflict) as stale:
            adm.set_region_timezone(region.id, ZoneEdit(timezone=None, expected_version=region.version))
        assert isinstance(stale.value.current, RegionLine) and stale.value.current.timezone == "Asia/Omsk"
        audit = adm.admin_audit(AuditFilter(action="region_timezone", target=region.name))[0]
        assert [(c.field, c.old, c.new) for c in audit.changes] == [("timezone", region.timezone, "Asia/Omsk")]
    finally:
        now = next(r for r in adm.admin_regions() if r.id == region.id)
        adm.set_region_timezone(region.id, ZoneEdit(timezone=region.timezone, expected_version=now.version))
    with pytest.raises(PermissionDenied):
        sign_in("sup").admin_regions()
