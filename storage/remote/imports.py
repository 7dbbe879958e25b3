"""The imports' part of the remote Console (`core.imports.port.ImportsPort` over HTTP)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from core.imports.inputs import ImportOptions
from core.imports.models import ImportPreview, ImportReport
from storage.remote.base import RemoteBase, _id

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
    ) -> ImportReport:
        """One request; `progress` hears the last line once, when it is done."""
        body = _body(content, filename, options)
        report = self._send("POST", "/imports", ImportReport, body, timeout=IMPORT_TIMEOUT_S)
        if progress is not None:
            progress(report.lines_done)
        return report

    def import_report(self, import_id: int, problems: int = 100) -> ImportReport:
        return self._get(f"/imports/{_id(import_id)}", ImportReport, problems=problems)


def _body(content: bytes, filename: str, options: ImportOptions) -> dict[str, object]:
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "options": options.model_dump(mode="json"),
    }
