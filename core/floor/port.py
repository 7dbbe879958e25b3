"""The floor's port (part of `core.port.Console`): one read of the whole floor, one employee's
calls of today, and the mark that the result form is open."""

from __future__ import annotations

from typing import Protocol

from core.floor.models import Floor, FloorCall


class FloorPort(Protocol):
    def floor(self) -> Floor:
        """Every signed-in employee of my desks and every campaign of my desks; needs view_floor."""
        ...

    def floor_calls(self, employee_id: int) -> list[FloorCall]:
        """The employee's calls of today, newest first; the employee must be of my desks."""
        ...

    def mark_result_form(self, client_id: int) -> None:
        """The operator opened the result form of the call in progress with this client."""
        ...
