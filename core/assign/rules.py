"""Whom a new client goes to: round robin or least loaded over the desk's active managers,
optionally those serving the client's region first. Pure functions over what the store read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.assign.models import AssignMode


@dataclass(frozen=True)
class Manager:
    id: int
    load: int  # clients they are responsible for
    regions: frozenset[int]


def candidates(managers: Sequence[Manager], region_id: int | None, by_region: bool) -> list[Manager]:
    """The managers to choose among: by region, those serving the client's region when any does."""
    if by_region and region_id is not None:
        local = [m for m in managers if region_id in m.regions]
        if local:
            return local
    return list(managers)


def round_robin(ids: Sequence[int], last: int | None) -> int:
    """The next id after `last` in id order, wrapping round (a new or removed manager keeps the turn)."""
    ordered = sorted(ids)
    if last is None:
        return ordered[0]
    return next((i for i in ordered if i > last), ordered[0])


def least_loaded(loads: Mapping[int, int]) -> int:
    """The fewest clients; a tie goes to the lower id."""
    return min(loads, key=lambda i: (loads[i], i))


def pick(mode: AssignMode, managers: Sequence[Manager], region_id: int | None, by_region: bool,
         last: int | None) -> int | None:  # fmt: skip
    """The manager for a new client; None when the rule is off or the desk has no active manager."""
    if mode == AssignMode.OFF or not managers:
        return None
    pool = candidates(managers, region_id, by_region)
    if mode == AssignMode.ROUND_ROBIN:
        return round_robin([m.id for m in pool], last)
    return least_loaded({m.id: m.load for m in pool})
