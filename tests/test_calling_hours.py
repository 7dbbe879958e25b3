"""K16 calling hours at hand-out: the campaign's hours hold in each client's own time zone (the
region's, else the desk's, else the console's), at fixed instants, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import insert, update

from core.calls import rules
from storage.engine import write
from storage.reference_cache import changed
from storage.tables import CampaignRow, ClientRow, DeskRow, RegionRow
from tests.call_world import add_campaign, listed
from tests.helpers import Crm

VLADIVOSTOK, MOSCOW = "Asia/Vladivostok", "Europe/Moscow"
DAY = (time(9, 0), time(20, 0))
AT_12_UTC = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # Vladivostok 22:00, Moscow 15:00
AT_01_UTC = datetime(2025, 3, 10, 1, 0, tzinfo=UTC)  # Vladivostok 11:00, Moscow 04:00
AT_07_UTC = datetime(2025, 3, 10, 7, 0, tzinfo=UTC)  # Vladivostok 17:00, Moscow 10:00


def test_open_zones_at_fixed_instants() -> None:
    zones = [VLADIVOSTOK, MOSCOW]
    assert rules.open_zones(zones, DAY, AT_12_UTC) == [MOSCOW]
    assert rules.open_zones(zones, DAY, AT_01_UTC) == [VLADIVOSTOK]
    assert rules.open_zones(zones, DAY, AT_07_UTC) == [VLADIVOSTOK, MOSCOW]
    assert rules.open_zones(zones, (time(10, 0), time(17, 0)), AT_07_UTC) == [MOSCOW]  # 17:00 is the end
    assert rules.open_zones(["Mars/Olympus"], DAY, AT_07_UTC) == []  # an unknown zone is never open


def test_hours_ending_at_23_59_run_to_the_days_end() -> None:
    whole_day = (time(0, 0), time(23, 59))
    late = datetime(2025, 3, 10, 20, 59, 30, tzinfo=UTC)  # Moscow 23:59:30
    assert rules.open_zones([MOSCOW], whole_day, late) == [MOSCOW]
    assert rules.next_calling_moment(late, MOSCOW, whole_day) == late.replace(second=0)
    assert rules.open_zones([MOSCOW], (time(0, 0), time(23, 58)), late) == []  # any other end stays exclusive


def _region(crm: Crm, name: str, zone: str | None) -> int:
    with write(crm.engine) as conn:
        region_id = conn.execute(insert(RegionRow).values(name=name, timezone=zone)).inserted_primary_key[0]
    changed()
    return region_id


def _place(crm: Crm, client_id: int, region_id: int | None) -> None:
    with write(crm.engine) as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(region_id=region_id))


def _handed(crm: Crm, console, campaign: int, at: datetime) -> list[int]:  # type: ignore[no-untyped-def]
    """Everyone the list hands out at `at`, in order."""
    crm.clock.advance(seconds=(at - crm.clock.now()).total_seconds())
    out = []
    while (card := console.next_client(campaign)) is not None:
        out.append(card.id)
    return out


def _desk_zone(crm: Crm, zone: str | None) -> None:
    with write(crm.engine) as conn:
        conn.execute(update(DeskRow).values(timezone=zone))  # the main desk: every client's desk here
    changed()


def test_a_vladivostok_client_at_22_is_skipped_a_moscow_one_is_given(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    campaign = add_campaign(crm)
    primorye = _region(crm, "Приморский край", VLADIVOSTOK)
    far, near = listed(crm, boss, campaign), listed(crm, boss, campaign)
    _place(crm, far, primorye)
    _place(crm, near, _region(crm, "Тверская область", MOSCOW))

    crm.clock.advance(seconds=(AT_12_UTC - crm.clock.now()).total_seconds())
    assert [c.fresh for c in boss.call_lists() if c.campaign.id == campaign] == [1]
    assert _handed(crm, boss, campaign, AT_12_UTC) == [near]


def test_at_11_in_vladivostok_and_04_in_moscow_only_vladivostok_is_given(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    campaign = add_campaign(crm)
    far = listed(crm, boss, campaign)
    listed(crm, boss, campaign)  # no region: the console's zone, 04:00
    _place(crm, far, _region(crm, "Приморский край", VLADIVOSTOK))
    assert _handed(crm, boss, campaign, AT_01_UTC) == [far]


def test_without_a_region_zone_the_desk_zone_then_the_default_holds(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    campaign = add_campaign(crm)
    on_desk, default = listed(crm, boss, campaign), listed(crm, boss, campaign)
    _place(crm, on_desk, _region(crm, "Где-то", None))
    assert _handed(crm, boss, campaign, AT_01_UTC) == []  # 04:00 in Moscow, the console's zone
    _desk_zone(crm, VLADIVOSTOK)
    assert _handed(crm, boss, campaign, AT_01_UTC) == [on_desk, default]  # 11:00 in the desk's zone


def test_the_campaign_hours_are_its_own(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    campaign = add_campaign(crm)
    with write(crm.engine) as conn:
        conn.execute(update(CampaignRow).where(CampaignRow.id == campaign).values(call_start="11:00", call_end="14:00"))
    moscow = listed(crm, boss, campaign)
    assert _handed(crm, boss, campaign, AT_07_UTC) == []  # 10:00 in Moscow: before the campaign's start
    assert _handed(crm, boss, campaign, AT_07_UTC.replace(hour=9)) == [moscow]  # 12:00
