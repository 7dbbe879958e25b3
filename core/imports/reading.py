"""Spreadsheet files as rows: CSV (UTF-8 with or without a BOM, else Windows-1251; `,` `;` tab or `|`
separated) and XLSX (the first sheet). Each data row comes with its line in the file; blank rows
are passed over."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from core.errors import ValidationFailed
from core.imports.inputs import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS

Cell = object  # str from CSV; str, int, float, datetime or None from XLSX
_DELIMITERS = ",;\t|"


@dataclass
class Sheet:
    columns: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (line, cells), line 1 is the header


def open_sheet(content: bytes, filename: str) -> Sheet:
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        return _xlsx(content)
    return _csv(decode(content))


def decode(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1251: the two encodings Russian Excel writes."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def _delimiter(head: str) -> str:
    first = next((line for line in head.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _limited(rows: Iterator[tuple[int, list[Cell]]]) -> Iterator[tuple[int, list[Cell]]]:
    for n, row in enumerate(rows, 1):
        if n > MAX_ROWS:
            raise ValidationFailed(f"The file has over {MAX_ROWS} rows; split it.", field="file")
        yield row


def _header(cells: list[Cell]) -> list[str]:
    if not any(str(c or "").strip() for c in cells):
        raise ValidationFailed("The first line holds no column names.", field="file")
    if len(cells) > MAX_COLUMNS:
        raise ValidationFailed(f"The file has over {MAX_COLUMNS} columns.", field="file")
    return [str(c or "").strip() for c in cells]


def _unreadable(line: int) -> ValidationFailed:
    return ValidationFailed(f"Line {line} of the file cannot be read as CSV.", field="file")


def _csv(text: str) -> Sheet:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:65536]))
    header: list[Cell] = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                header = list(cells)
                break
    except csv.Error:
        raise _unreadable(reader.line_num) from None
    columns = _header(header)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        start = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a NUL byte, a field past the size limit
                raise _unreadable(start + 1) from None
            line, start = start + 1, reader.line_num
            if any(c.strip() for c in cells):
                yield line, list(cells)

    return Sheet(columns, _limited(rows()))


def _xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook  # loads only when an XLSX file comes

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # zipfile, KeyError, InvalidFileException: a broken or foreign file
        raise ValidationFailed("The file is not a readable XLSX workbook.", field="file") from None
    found = book.worksheets[0].iter_rows(values_only=True)
    header: list[Cell] = []
    line = 0
    for cells in found:
        line += 1
        if any(c is not None and str(c).strip() for c in cells):
            header = list(cells)
            break
    columns = _header(header)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        n = line
        for cells in found:
            n += 1
            if any(c is not None and str(c).strip() for c in cells):
                yield n, list(cells)
        book.close()

    return Sheet(columns, _limited(rows()))
