"""The imports' part of the remote Console (`core.imports.port.ImportsPort` over HTTP)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from core.errors import Conflict
from core.imports.inputs import ImportOptions
from core.imports.models import EarlierImport, ImportPreview, ImportReport, UnfinishedImport
from core.reports.models import ExportFile
from storage.remote.base import RemoteBase, _id
from storage.remote.reports import _FILENAME

IMPORT_TIMEOUT_S = 600.0  # a whole file is imported within the one request


class RemoteImports(RemoteBase):
    def import_preview(self, content: bytes, filename: str, options: ImportOptions, limit: int = 5) -> ImportPreview:
        body = _body(content, filename, options)
        return self._send("POST", "/imports/preview", ImportPreview, body, params={"limit": limit})

    def import_clients(
        self,
        content: bytes,
        filename: str,
        options: ImportOptions,
        progress: Callable[[int], None] | None = None,
        again: bool = False,
    ) -> ImportReport:
        """One request; `progress` hears the last line once, when it is done."""
        body = {**_body(content, filename, options), "again": again}
        try:
            report = self._send("POST", "/imports", ImportReport, body, timeout=IMPORT_TIMEOUT_S)
        except Conflict as exc:  # imported before: `current` as the shape
            if isinstance(exc.current, dict):
                exc.current = EarlierImport.model_validate(exc.current)
            raise
        if progress is not None:
            progress(report.lines_done)
        return report

    def import_report(self, import_id: int, problems: int = 100) -> ImportReport:
        return self._get(f"/imports/{_id(import_id)}", ImportReport, problems=problems)

    def unfinished_imports(self) -> list[UnfinishedImport]:
        return self._get("/imports/unfinished", list[UnfinishedImport])

    def export_clients(self, file_format: str, query: str | None = None, ids: list[int] | None = None) -> ExportFile:
        body = {"format": file_format, "query": query, "ids": ids}
        response = self._request("POST", "/exports/clients", json=body)
        found = _FILENAME.search(response.headers.get("content-disposition", ""))
        return ExportFile(
            filename=found.group(1) if found else f"clients.{file_format}",
            media_type=response.headers.get("content-type", "application/octet-stream"),
            content=response.content,
        )


def _body(content: bytes, filename: str, options: ImportOptions) -> dict[str, object]:
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "options": options.model_dump(mode="json"),
    }
