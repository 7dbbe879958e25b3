"""What the imports area answers: the column fields, a preview, an import's report."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ImportField(StrEnum):
    """The card fields a column may fill (a column mapped to none is ignored)."""

    SURNAME = "surname"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"
    FULL_NAME = "full_name"  # "Surname First Patronymic" in one column
    BIRTH_DATE = "birth_date"
    PHONE = "phone"  # several columns may be phones
    EMAIL = "email"
    PASSPORT = "passport"  # series and number in one column
    PASSPORT_SERIES = "passport_series"
    PASSPORT_NUMBER = "passport_number"
    CLIENT_TYPE = "client_type"


class DuplicatePolicy(StrEnum):
    """What an imported row sharing a phone or passport with a card becomes."""

    FLAG = "flag"  # a new card marked as a possible duplicate
    MERGE = "merge"  # the existing card gets the row's missing phones and e-mails
    SKIP = "skip"  # nothing


class PreviewRow(BaseModel):
    line: int
    values: dict[str, str]  # field -> what the card would hold (masked for a masked role)
    problem: str | None = None


class ImportPreview(BaseModel):
    columns: list[str]
    mapping: dict[str, str]  # column header -> field
    rows: list[PreviewRow]
    problem: str | None = None  # why the mapping cannot import yet (no phone column, say)


class BadRow(BaseModel):
    line: int
    reason: str


class UnfinishedImport(BaseModel):
    """An import of mine that stopped before its end: the same file with `options` resumes it."""

    id: int
    filename: str
    started_at: datetime
    lines_done: int
    options: dict[str, object]  # core.imports.inputs.ImportOptions as it was sent


class EarlierImport(BaseModel):
    """The newest import of the same file (its bytes' sha256): importing it again needs a confirm."""

    id: int
    filename: str
    at: datetime  # its start
    employee: str | None  # who imported it (None: the command line on the database host)
    clients: int  # the cards it created, flagged or merged into


class ImportReport(BaseModel):
    """An import job: its counts by outcome and the first bad rows (`problems`)."""

    id: int
    filename: str
    status: str  # running | done
    started_at: datetime
    finished_at: datetime | None = None
    lines_done: int = 0  # the high-water mark: every line up to it is recorded
    created: int = 0
    merged: int = 0
    flagged: int = 0  # created, marked as a possible duplicate
    skipped: int = 0
    bad: int = 0
    problems: list[BadRow] = Field(default_factory=list)
