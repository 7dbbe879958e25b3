"""The desk's assignment rule as shown and edited."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from core.shapes import Flag, Id, Shape, text

RoleCode = text(100, min_length=1)


class AssignMode(StrEnum):
    OFF = "off"  # the one who enters the client is responsible
    ROUND_ROBIN = "round_robin"  # each active manager in turn
    LEAST_LOADED = "least_loaded"  # the active manager with the fewest clients


class AssignRule(Shape):
    desk_id: int
    desk: str
    mode: AssignMode
    roles: list[str]  # role codes of the desk's managers
    by_region: bool  # prefer managers serving the client's region


class RuleEdit(Shape):
    mode: AssignMode
    roles: list[RoleCode] = Field(default_factory=lambda: ["operator"], min_length=1, max_length=20)
    by_region: Flag = False


class RegionsEdit(Shape):
    """The regions a manager serves (for rules `by_region`); empty: none in particular."""

    region_ids: list[Id] = Field(default_factory=list, max_length=200)
