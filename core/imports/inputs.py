"""What an employee sends to import a file, with its limits."""

from __future__ import annotations

from pydantic import Field

from core.imports.models import DuplicatePolicy
from core.shapes import Code, Shape, text

MAX_FILE_BYTES = 50 * 1024 * 1024  # a file larger than this is refused before it is read
MAX_ROWS = 200_000  # data rows of one file
MAX_COLUMNS = 100
BATCH_ROWS = 1000  # rows committed together with the high-water mark

ColumnName = text(200)


class ImportOptions(Shape):
    """`mapping`: column header (or `#N`, the N-th column from 1) -> field; None guesses from headers."""

    mapping: dict[ColumnName, Code] | None = Field(default=None, max_length=MAX_COLUMNS)
    campaign: Code | None = None  # the code of a campaign the clients join
    duplicates: DuplicatePolicy = DuplicatePolicy.FLAG
    client_type: Code = "interested"  # of rows without a client-type column
