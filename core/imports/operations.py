"""M9 for `core.console.LocalConsole`: the permission, the file read, rows checked in core, batches
written by the store with the high-water mark (a crash loses at most the batch under way)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.imports import reading, rules
from core.imports.inputs import BATCH_ROWS, ImportOptions
from core.imports.models import EarlierImport, ImportField, ImportPreview, ImportReport, PreviewRow, UnfinishedImport
from core.imports.store import ImportBatch, NewImport

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.imports.store import ImportsStore

UNFINISHED_SHOWN = 5  # the newest unfinished imports offered to resume
_MASKED = {"phone", "email", "passport_series", "passport_number"}


class ImportOperations:
    repo: ImportsStore
    clock: Clock
    phone_region: str
    timezone: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...

    def _importer(self) -> EmployeeInfo:
        me = self.whoami()
        if Permission.IMPORT_CLIENTS not in me.permissions:
            raise PermissionDenied("Your role may not import clients.")
        return me

    def _sheet(self, content: bytes, filename: str, options: ImportOptions):  # type: ignore[no-untyped-def]
        sheet = reading.open_sheet(content, filename)
        mapping = rules.resolve_mapping(sheet.columns, options.mapping)
        rules.check_mapping(mapping)
        return sheet, mapping

    def import_preview(self, content: bytes, filename: str, options: ImportOptions, limit: int = 5) -> ImportPreview:
        me = self._importer()
        sheet = reading.open_sheet(content, filename)
        mapping = rules.resolve_mapping(sheet.columns, options.mapping)
        today = self.clock.now().date()
        shown: list[PreviewRow] = []
        for line, cells in sheet.rows:
            if len(shown) >= min(limit, 50):
                break
            parsed = rules.parse_row(line, cells, mapping, sheet.columns, self.phone_region, today, options.client_type)
            if isinstance(parsed, str):
                shown.append(PreviewRow(line=line, values={}, problem=parsed))
                continue
            values = {
                "surname": parsed.surname, "first_name": parsed.first_name, "patronymic": parsed.patronymic,
                "birth_date": parsed.birth_date.isoformat() if parsed.birth_date else "",
                "client_type": parsed.client_type, "phone": ", ".join(parsed.phones),
                "email": ", ".join(a for a, _ in parsed.emails),
                "passport_series": parsed.passport_series or "", "passport_number": parsed.passport_number or "",
            }  # fmt: skip
            if Permission.VIEW_CONTACTS not in me.permissions:
                values = {k: ("***" if k in _MASKED and v else v) for k, v in values.items()}
            shown.append(PreviewRow(line=line, values=values))
        columns = [c or f"#{i + 1}" for i, c in enumerate(sheet.columns)]
        problem = None
        try:
            rules.check_mapping(mapping)
        except ValidationFailed as exc:
            problem = exc.message
        found = {columns[i]: f.value for i, f in mapping.items()}
        return ImportPreview(columns=columns, mapping=found, rows=shown, problem=problem)

    def import_clients(
        self,
        content: bytes,
        filename: str,
        options: ImportOptions,
        progress: Callable[[int], None] | None = None,
        again: bool = False,
    ) -> ImportReport:
        me = self._importer()
        sheet, mapping = self._sheet(content, filename, options)
        campaign_id = None
        desk_id = me.desk_ids[0] if me.desk_ids else None
        if options.campaign:
            found = self.repo.campaign_by_code(options.campaign)
            desks = self._desks()
            if found is None or (desks is not None and found[1] not in desks):
                raise NotFound(f"No campaign '{options.campaign}'.")
            campaign_id = found[0]
            desk_id = found[1] if found[1] is not None else desk_id
        settings = json.dumps(options.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(content + b"\0" + settings.encode()).hexdigest()
        fingerprint = hashlib.sha256(content).hexdigest()
        opened = self.repo.open_import(
            NewImport(digest, filename[-200:], me.id or None, self.clock.now(), settings, fingerprint), again
        )
        if isinstance(opened, EarlierImport):
            raise Conflict(rules.imported_before(opened, self.timezone), current=opened)
        import_id, done = opened
        desks, today = self._desks(), self.clock.now().date()

        for bad, good, last in _batches(sheet.rows, done, mapping, sheet.columns, self.phone_region, today, options):
            batch = ImportBatch(import_id, good, bad, last, desk_id, me.id or None, self.clock.now(), campaign_id)
            self.repo.import_batch(batch, lambda m, rows=good: rules.decide(rows, m, desks, options.duplicates))
            if progress is not None:
                progress(last)
        self.repo.finish_import(import_id, self.clock.now())
        return self.import_report(import_id)

    def unfinished_imports(self) -> list[UnfinishedImport]:
        me = self._importer()
        return [
            UnfinishedImport(
                id=o.id,
                filename=o.filename,
                started_at=o.started_at,
                lines_done=o.high_water,
                options=json.loads(o.options),
            )  # fmt: skip
            for o in self.repo.unfinished_imports(me.id or None, UNFINISHED_SHOWN)
        ]

    def import_report(self, import_id: int, problems: int = 100) -> ImportReport:
        me = self._importer()
        found = self.repo.import_report(import_id, max(0, min(problems, 1000)))
        if found is None or (found[1] != (me.id or None) and self._desks() is not None):
            raise NotFound("No such import.")  # another employee's, for one without all desks
        return found[0]


def _batches(
    rows: Iterator[tuple[int, list[object]]], done: int, mapping: dict[int, ImportField], columns: list[str],
    region: str, today, options: ImportOptions,  # type: ignore[no-untyped-def]
) -> Iterator[tuple[list[tuple[int, str]], list[rules.ParsedRow], int]]:  # fmt: skip
    bad: list[tuple[int, str]] = []
    good: list[rules.ParsedRow] = []
    last = done
    for line, cells in rows:
        if line <= done:
            continue
        parsed = rules.parse_row(line, cells, mapping, columns, region, today, options.client_type)
        if isinstance(parsed, str):
            bad.append((line, parsed))
        else:
            good.append(parsed)
        last = line
        if len(bad) + len(good) >= BATCH_ROWS:
            yield bad, good, last
            bad, good = [], []
    if bad or good:
        yield bad, good, last
