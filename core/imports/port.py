"""The imports' part of the Console port (`core.port.Console`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.imports.inputs import ImportOptions
from core.imports.models import ImportPreview, ImportReport, UnfinishedImport
from core.reports.models import ExportFile


class ImportsPort(Protocol):
    def import_preview(self, content: bytes, filename: str, options: ImportOptions, limit: int = 5) -> ImportPreview:
        """The columns, the mapping (given or guessed) and the first rows as the cards would hold them."""
        ...

    def import_clients(
        self,
        content: bytes,
        filename: str,
        options: ImportOptions,
        progress: Callable[[int], None] | None = None,
        again: bool = False,
    ) -> ImportReport:
        """M9: the file's rows as cards, in batches; the same file again resumes an unfinished import
        of it (no row twice). A file imported before (the same bytes, any options, anyone) raises
        Conflict with the `EarlierImport` as `current` before anything is written, unless `again`.
        `progress` gets the last line done after each batch."""
        ...

    def import_report(self, import_id: int, problems: int = 100) -> ImportReport: ...
    def unfinished_imports(self) -> list[UnfinishedImport]:
        """My imports that stopped before their end (newest first): the same file and options resume one."""
        ...

    def export_clients(self, file_format: str, query: str | None = None, ids: list[int] | None = None) -> ExportFile:
        """M9: a search's or an id list's clients as CSV or XLSX, as the employee sees them; audited."""
        ...
