"""Tables of auto-assignment (core.assign)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AssignRuleRow(SQLModel, table=True):
    """A desk's rule for new clients; `last_employee_id` is the round robin's turn."""

    __tablename__ = "assign_rule"
    desk_id: int = Field(foreign_key="desk.id", primary_key=True)
    mode: str = "off"  # core.assign.models.AssignMode
    roles: str = "operator"  # comma-separated role codes of the desk's managers
    by_region: bool = False
    last_employee_id: int | None = Field(default=None, foreign_key="employee.id")


class EmployeeRegionRow(SQLModel, table=True):
    """The regions a manager serves (rules by region)."""

    __tablename__ = "employee_region"
    employee_id: int = Field(foreign_key="employee.id", primary_key=True)
    region_id: int = Field(foreign_key="region.id", primary_key=True)


# the managers' load (least loaded) is a count on ix_client_responsible_id (storage/tables.py)
