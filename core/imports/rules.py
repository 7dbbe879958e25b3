"""The import rules: columns guessed from their headers (Russian and English), cells read the way
people type them (phones `8 (912) …`, dates `31.12.1980`, Excel serial numbers, ISO), one row
checked into a card draft or a reason, and what a duplicate row becomes.

A reason names the column and the problem, never the value: reasons are shown and stored, and a
value is client data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clients.card_rules import check_birth_date, clean_email, clean_name_part, clean_passport, email_key
from core.clients.names import latin_key, name_key
from core.clients.phones import try_normalize_phone
from core.errors import ValidationFailed
from core.imports.models import DuplicatePolicy, EarlierImport, ImportField
from core.vocab import ClientType

F = ImportField
# header words, casefolded, punctuation removed; the first hit in this order wins
_GUESSES: list[tuple[ImportField, tuple[str, ...]]] = [
    (F.FULL_NAME, ("фио", "full name", "fullname", "клиент", "client name", "name surname")),
    (F.BIRTH_DATE, ("дата рождения", "др", "день рождения", "birth date", "birthday", "date of birth", "dob")),
    (F.PASSPORT_SERIES, ("серия паспорта", "серия", "passport series")),
    (F.PASSPORT_NUMBER, ("номер паспорта", "passport number", "passport no")),
    (F.PASSPORT, ("паспорт", "passport")),
    (F.SURNAME, ("фамилия", "surname", "last name", "lastname", "family name")),
    (F.FIRST_NAME, ("имя", "first name", "firstname", "given name", "name")),
    (F.PATRONYMIC, ("отчество", "patronymic", "middle name", "middlename")),
    (F.EMAIL, ("email", "e mail", "электронная почта", "почта", "эл почта", "mail")),
    (F.PHONE, ("телефон", "тел", "мобильный", "моб", "phone", "mobile", "tel", "telephone", "cell")),
    (F.CLIENT_TYPE, ("тип клиента", "тип", "client type", "type", "канал", "channel")),
]
_SINGLE = {f for f, _ in _GUESSES} - {F.PHONE}
_WORDS = re.compile(r"[^\w]+")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
_DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def _words(header: str) -> str:
    return " ".join(_WORDS.sub(" ", header.casefold().replace("ё", "е")).split())


def guess_field(header: str) -> ImportField | None:
    words = _words(header)
    bare = words.rstrip("0123456789 ")  # "Телефон 2"
    for fld, names in _GUESSES:
        if words in names or bare in names:
            return fld
    for fld, names in _GUESSES:  # "Мобильный телефон", "Phone (home)"
        if any(n in words.split() for n in names if " " not in n and len(n) > 3):
            return fld
    return None


def guess_mapping(columns: list[str]) -> dict[int, ImportField]:
    """Column index -> field; a field other than phone goes to its first column only."""
    found: dict[int, ImportField] = {}
    for i, header in enumerate(columns):
        fld = guess_field(header)
        if fld is not None and (fld not in _SINGLE or fld not in found.values()):
            found[i] = fld
    return found


def resolve_mapping(columns: list[str], mapping: dict[str, str] | None) -> dict[int, ImportField]:
    """The given mapping (header or `#N` -> field) by column index; None: guessed."""
    if mapping is None:
        return guess_mapping(columns)
    found: dict[int, ImportField] = {}
    for column, name in mapping.items():
        if not name:
            continue
        try:
            fld = ImportField(name)
        except ValueError:
            raise ValidationFailed(
                f"Unknown field '{name}'; use one of {', '.join(ImportField)}.", field="mapping"
            ) from None
        if column.startswith("#") and column[1:].isdigit() and 1 <= int(column[1:]) <= len(columns):
            found[int(column[1:]) - 1] = fld
        elif column in columns:
            found[columns.index(column)] = fld
        else:
            raise ValidationFailed(f"No column '{column}' in the file.", field="mapping")
    return found


def check_mapping(mapping: dict[int, ImportField]) -> None:
    fields = list(mapping.values())
    for fld in _SINGLE:
        if fields.count(fld) > 1:
            raise ValidationFailed(f"Two columns are mapped to {fld.value}.", field="mapping")
    if F.PHONE not in fields:
        raise ValidationFailed("No column is mapped to phone.", field="mapping")
    if F.FULL_NAME not in fields and not {F.SURNAME, F.FIRST_NAME} <= set(fields):
        raise ValidationFailed("Map full_name, or surname and first_name.", field="mapping")


def parse_date(value: object) -> date | None:
    """A date as people type it (31.12.1980, 31/12/1980, 1980-12-31), an Excel serial number, a cell date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip()
    if not text:
        return None
    found = _DOTTED.match(text)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
            return date.fromisoformat(text[:10])
        if re.fullmatch(r"\d{1,6}(\.\d+)?", text):
            return _serial(float(text))
    except ValueError:
        pass
    raise ValidationFailed("is not a date (DD.MM.YYYY, YYYY-MM-DD or an Excel date).")


def _serial(number: float) -> date:
    if not 1 <= number < 2958466:  # Excel's last day is 9999-12-31
        raise ValidationFailed("is not a date (DD.MM.YYYY, YYYY-MM-DD or an Excel date).")
    return EXCEL_EPOCH + timedelta(days=int(number))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed into a number cell
    return str(value).strip()


@dataclass
class ParsedRow:
    """One good row: the card's values, checked."""

    line: int
    surname: str
    first_name: str
    patronymic: str
    name_key: str
    name_latin: str
    birth_date: date | None
    client_type: str
    passport_series: str | None
    passport_number: str | None
    passport_key: str | None
    phones: list[str] = field(default_factory=list)  # E.164, in order, no repeats
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, key)


def parse_row(
    line: int, cells: list[object], mapping: dict[int, ImportField], columns: list[str], region: str, today: date,
    default_type: str,
) -> ParsedRow | str:  # fmt: skip
    """The row as a card draft, or the reason it is refused (column and problem, no value)."""
    values: dict[ImportField, str] = {}
    phones: list[str] = []
    birth: date | None = None
    where = ""
    try:
        for i, fld in mapping.items():
            where = columns[i] or f"#{i + 1}"
            raw = cells[i] if i < len(cells) else None
            if fld is F.BIRTH_DATE:
                birth = check_birth_date(parse_date(raw), today)
            elif fld is F.PHONE:
                text = cell_text(raw)
                if text:
                    e164 = try_normalize_phone(text, region)
                    if e164 is None:
                        return f"{where}: not a valid phone number."
                    phones.append(e164)
            else:
                values[fld] = cell_text(raw)
        where = ""
        if F.FULL_NAME in values and not values.get(F.SURNAME):
            parts = values[F.FULL_NAME].split()
            values[F.SURNAME] = parts[0] if parts else ""
            values[F.FIRST_NAME] = parts[1] if len(parts) > 1 else ""
            values[F.PATRONYMIC] = " ".join(parts[2:])
        surname = clean_name_part(values.get(F.SURNAME, ""), "surname")
        first = clean_name_part(values.get(F.FIRST_NAME, ""), "first_name")
        patronymic = clean_name_part(values.get(F.PATRONYMIC, ""), "patronymic", required=False)
        series, number = values.get(F.PASSPORT_SERIES), values.get(F.PASSPORT_NUMBER)
        if values.get(F.PASSPORT):
            digits = "".join(ch for ch in values[F.PASSPORT] if ch.isdigit())
            series, number = digits[:4], digits[4:]
        series, number = clean_passport(series, number)
        kind = values.get(F.CLIENT_TYPE) or default_type
        if kind not in {t.value for t in ClientType}:
            return f"client type: unknown; use one of {', '.join(t.value for t in ClientType)}."
        email = values.get(F.EMAIL, "")
        emails = [(clean_email(email), email_key(email))] if email else []
    except ValidationFailed as exc:
        message = exc.message if not exc.message.startswith("'") else "not valid."  # no value in a reason
        return f"{where}: {message}" if where else message
    if not phones:
        return "no phone number."
    folded = name_key(surname, first, patronymic)
    return ParsedRow(
        line=line, surname=surname, first_name=first, patronymic=patronymic, name_key=folded,
        name_latin=latin_key(folded), birth_date=birth, client_type=kind, passport_series=series,
        passport_number=number, passport_key=f"{series}{number}" if series and number else None,
        phones=list(dict.fromkeys(phones)), emails=emails,
    )  # fmt: skip


@dataclass(frozen=True)
class Match:
    """An existing card sharing a phone or the passport with a row."""

    client_id: int
    desk_id: int | None
    by: str  # "phone" | "passport"


@dataclass(frozen=True)
class RowAction:
    line: int
    action: str  # "create" | "merge" | "skip"
    client_id: int | None = None  # merge into, or skipped as a duplicate of
    flagged: bool = False
    into_line: int | None = None  # merge into the card an earlier row of the same batch creates


def decide(
    rows: list[ParsedRow], matches: dict[int, list[Match]], desks: list[int] | None, policy: DuplicatePolicy
) -> list[RowAction]:
    """What each row becomes. A match on a desk the employee may not see is never merged into or
    skipped for (that would tell it exists, F3): the row makes a card flagged as a possible duplicate.
    Rows repeating a phone or passport of an earlier row of the batch are duplicates of its card."""
    actions: list[RowAction] = []
    seen: dict[str, int] = {}  # phone or passport key -> line of the row creating the card
    for row in rows:
        keys = [*row.phones, *([row.passport_key] if row.passport_key else [])]
        found = matches.get(row.line, [])
        visible = [m for m in found if desks is None or m.desk_id in desks]
        earlier = next((seen[k] for k in keys if k in seen), None)
        if not found and earlier is None:
            actions.append(RowAction(row.line, "create"))
        elif policy is DuplicatePolicy.FLAG or (not visible and earlier is None):
            actions.append(RowAction(row.line, "create", flagged=True))
        elif visible and policy is DuplicatePolicy.MERGE:
            actions.append(RowAction(row.line, "merge", client_id=visible[0].client_id))
        elif visible:
            actions.append(RowAction(row.line, "skip", client_id=visible[0].client_id))
        elif policy is DuplicatePolicy.MERGE:
            actions.append(RowAction(row.line, "merge", into_line=earlier))
        else:
            actions.append(RowAction(row.line, "skip"))
        if actions[-1].action == "create":
            for k in keys:
                seen.setdefault(k, row.line)
    return actions


def imported_before(earlier: EarlierImport, tz: str) -> str:
    """The warning before a file is imported again: when, by whom, how many clients."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    at = earlier.at.astimezone(zone)
    who = earlier.employee or "the command line"
    return f"This file was imported on {at:%d.%m.%Y %H:%M} by {who}: {earlier.clients} clients."
