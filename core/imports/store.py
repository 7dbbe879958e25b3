"""What imports need from a store (`storage.repo_imports`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.imports.models import EarlierImport, ImportReport
from core.imports.rules import Match, ParsedRow, RowAction


@dataclass(frozen=True)
class NewImport:
    file_hash: str  # sha256 of the file and the options: the same file imported the same way resumes
    filename: str
    employee_id: int | None
    at: datetime
    options: str  # JSON
    content_hash: str = ""  # sha256 of the file's bytes alone: the same file imported again is asked about


@dataclass
class ImportBatch:
    """Rows of one file up to `high_water`, written in one transaction with the mark."""

    import_id: int
    rows: list[ParsedRow]
    bad: list[tuple[int, str]]  # (line, reason)
    high_water: int
    desk_id: int | None  # of the new cards
    employee_id: int | None
    at: datetime
    campaign_id: int | None = None


@dataclass(frozen=True)
class OpenImport:
    id: int
    filename: str
    started_at: datetime
    high_water: int
    options: str  # JSON


class ImportsStore(Protocol):
    def open_import(self, job: NewImport, again: bool = False) -> tuple[int, int] | EarlierImport:
        """One transaction. (import id, high-water line): an unfinished import of the same hash by the
        same employee goes on where it stopped (not a re-import); else, unless `again`, the newest
        earlier import of the same content is answered and nothing is written; else a new one starts at 0."""
        ...

    def import_batch(self, batch: ImportBatch, decide: Callable[[dict[int, list[Match]]], list[RowAction]]) -> None:
        """Finds the cards sharing the rows' phones or passports, writes what `decide` makes of them
        (cards, merged phones and e-mails, campaign members, one import row per line) and the mark."""
        ...

    def finish_import(self, import_id: int, at: datetime) -> None: ...
    def unfinished_imports(self, employee_id: int | None, limit: int) -> list[OpenImport]:
        """The employee's imports without an end, newest first."""
        ...

    def import_report(self, import_id: int, problems: int) -> tuple[ImportReport, int | None] | None:
        """(the report, the importing employee's id): counts by outcome (an aggregate), the first
        `problems` bad rows by line."""
        ...

    def visible_client_ids(self, ids: list[int], desk_ids: list[int] | None) -> list[int]:
        """The ids that name cards of the desks (None: any), in id order."""
        ...

    def campaign_by_code(self, code: str) -> tuple[int, int | None] | None:
        """(id, desk id) of the campaign with this code."""
        ...
