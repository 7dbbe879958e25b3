"""The tables of imports (M9: one row per import job, one per line of its file) and of campaign
script versions (K16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class ImportJobRow(SQLModel, table=True):
    """An import of one file; `high_water` is the last line recorded, committed with each batch."""

    __tablename__ = "import_job"
    __table_args__ = (
        Index("ix_import_job_hash", "file_hash", "employee_id", "finished_at"),
        Index("ix_import_job_content", "content_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    file_hash: str = Field(max_length=64)  # sha256 of the file and the options
    content_hash: str | None = Field(default=None, max_length=64)  # sha256 of the file alone: a re-import
    filename: str = Field(max_length=200)
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    options: str  # JSON
    started_at: datetime
    finished_at: datetime | None = None
    high_water: int = 0


class ImportLineRow(SQLModel, table=True):
    """What one line of an imported file became; the key makes a line impossible to import twice."""

    __tablename__ = "import_line"
    import_id: int = Field(foreign_key="import_job.id", primary_key=True)
    line: int = Field(primary_key=True)
    outcome: str = Field(max_length=10)  # created | flagged | merged | skipped | bad
    client_id: int | None = Field(default=None)  # the card made, merged into or skipped for
    reason: str | None = Field(default=None, max_length=300)  # of a bad line: column and problem, no value


class CampaignScriptRow(SQLModel, table=True):
    """Every version of a campaign's script (K16): a call started on one saves against it."""

    __tablename__ = "campaign_script"
    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True)
    version: int = Field(primary_key=True)
    text: str
    at: datetime
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
