"""M9 export: the clients of a search or of an id list as a CSV or XLSX file.

Needs the EXPORT permission; the rows are exactly what the employee sees (their desks, phones
masked for a role without VIEW_CONTACTS: a masked value never reaches a file); every file is
written to the export audit (`report_export`, report "clients") with the row count, never the
values."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.errors import PermissionDenied, ValidationFailed
from core.reports.models import ExportFile
from core.reports.port import ExportRecord

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clients.models import ClientSummary
    from core.clock import Clock
    from core.repository import Repository

EXPORT_MAX = 500  # rows of one file: the search's own cap
COLUMNS = ("ID", "Full name", "Born", "Type", "Region", "Town", "Desk", "Phones")
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ExportOperations:
    repo: Repository
    clock: Clock

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _mask_summary(self, summary: ClientSummary) -> ClientSummary: ...
        def search(self, query: str, limit: int = 50) -> list[ClientSummary]: ...

    def export_clients(self, file_format: str, query: str | None = None, ids: list[int] | None = None) -> ExportFile:
        me = self.whoami()
        if Permission.EXPORT not in me.permissions:
            raise PermissionDenied("Your role may not export clients.")
        if file_format not in MEDIA:
            raise ValidationFailed(f"Unknown file format '{file_format}'; use csv or xlsx.", field="format")
        if (query is None) == (ids is None):
            raise ValidationFailed("Export a search or a list of ids.", field="query")
        if ids is not None:
            if len(ids) > EXPORT_MAX:
                raise ValidationFailed(f"At most {EXPORT_MAX} clients a file.", field="ids")
            allowed = self._desks()
            visible = self.repo.visible_client_ids(sorted(set(ids)), allowed)
            rows = [self._mask_summary(s) for s in self.repo.summaries(visible)]
        else:
            rows = self.search(query or "", limit=EXPORT_MAX)
        content = _render(file_format, rows)
        what = {"ids": len(ids)} if ids is not None else {"search": True}  # never the query: it may be a phone
        self.repo.record_export(
            ExportRecord(
                self.clock.now(),
                me.id or None,
                me.login,
                "clients",
                file_format,
                json.dumps(what, sort_keys=True),
                len(rows),
            )  # fmt: skip
        )
        stamp = self.clock.now().strftime("%Y%m%d-%H%M")
        return ExportFile(filename=f"clients_{stamp}.{file_format}", media_type=MEDIA[file_format], content=content)


def _values(s: ClientSummary) -> list[object]:
    return [s.id, s.full_name, s.birth_date, s.client_type, s.region or "", s.town or "", s.desk or "",
            ", ".join(s.phones)]  # fmt: skip


def _render(file_format: str, rows: list[ClientSummary]) -> bytes:
    if file_format == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";")  # what Russian Excel opens by a double click
        writer.writerow(COLUMNS)
        writer.writerows([v.isoformat() if hasattr(v, "isoformat") else v for v in _values(s)] for s in rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Clients")
    sheet.append(list(COLUMNS))
    for s in rows:
        sheet.append(_values(s))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
