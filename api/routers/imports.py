"""Imports (M9): a preview of a file and its import, the file sent as base64 in JSON; client exports.

Both need the import permission (403 otherwise). The same file sent again with the same options
resumes an unfinished import of it; an import's report (counts, bad lines) stays readable."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import SignedInConsole
from api.errors import responses, stale
from core.errors import ValidationFailed
from core.imports.export import EXPORT_MAX, MEDIA
from core.imports.inputs import MAX_FILE_BYTES, ImportOptions
from core.imports.models import EarlierImport, ImportPreview, ImportReport, UnfinishedImport
from core.shapes import MAX_ID, Id

PREFIX = "/imports"
MAX_BODY = MAX_FILE_BYTES * 4 // 3 + 64 * 1024  # the file in base64 and the options
router = APIRouter(prefix=PREFIX, tags=["imports"], responses=responses(403, 404))


class ImportFile(BaseModel):
    model_config = {"extra": "forbid"}
    filename: str = Field(max_length=200)
    content: str = Field(max_length=MAX_FILE_BYTES * 4 // 3 + 4, description="The file, base64.")
    options: ImportOptions = Field(default_factory=ImportOptions)

    def raw(self) -> bytes:
        try:
            return base64.b64decode(self.content, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed("The file content is not base64.", field="content") from None


@router.post("/preview", response_model=ImportPreview)
def preview(body: ImportFile, console: SignedInConsole, limit: Annotated[int, Query(ge=1, le=50)] = 5) -> ImportPreview:
    """The columns, the mapping (given or guessed from the headers) and the first rows as cards."""
    return console.import_preview(body.raw(), body.filename, body.options, limit)


class ImportRun(ImportFile):
    again: bool = Field(default=False, description="Import a file that was imported before (409 otherwise).")


@router.post("", response_model=ImportReport, responses=stale(EarlierImport, (404, 422)))
def run(body: ImportRun, console: SignedInConsole) -> ImportReport:
    """Imports the rows in batches; bad rows are reported with their line and reason. The same file
    (its bytes) imported before answers 409 with that import as `current`, nothing written, unless
    `again`; an unfinished import of mine with the same options goes on instead."""
    return console.import_clients(body.raw(), body.filename, body.options, again=body.again)


@router.get("/unfinished", response_model=list[UnfinishedImport])
def unfinished(console: SignedInConsole) -> list[UnfinishedImport]:
    """My imports that stopped before their end, newest first: the same file and options resume one."""
    return console.unfinished_imports()


@router.get("/{import_id:int}", response_model=ImportReport)
def report(
    import_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    console: SignedInConsole,
    problems: Annotated[int, Query(ge=0, le=1000)] = 100,
) -> ImportReport:
    """An import's counts by outcome and its first bad lines."""
    return console.import_report(import_id, problems)


exports = APIRouter(prefix="/exports", tags=["imports"], responses=responses(403))


class ClientsExport(BaseModel):
    model_config = {"extra": "forbid"}
    format: Literal["csv", "xlsx"]
    query: str | None = Field(default=None, max_length=200)
    ids: list[Id] | None = Field(default=None, max_length=EXPORT_MAX)


@exports.post(
    "/clients",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA.values()}, "description": "The file."}, **responses(422)},
)
def export_clients(body: ClientsExport, console: SignedInConsole) -> Response:
    """M9: a search's or an id list's clients as a file, masked as the employee sees them; audited."""
    file = console.export_clients(body.format, query=body.query, ids=body.ids)
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
