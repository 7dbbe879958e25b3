"""M9 import: files as people write them, bad rows with their line and reason, duplicates, resume."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from core.console import LocalConsole
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.imports import reading, rules
from core.imports.inputs import ImportOptions
from core.imports.models import ImportField
from tests.helpers import Crm, new_client

CSV = (
    "Фамилия;Имя;Отчество;Дата рождения;Телефон;E-mail\r\n"
    "Петров;Пётр;Петрович;31.12.1980;8 (912) 345-67-01;p@mail.ru\r\n"
    "\r\n"
    "Сидорова;Анна;;1985-02-03;+7 912 345 67 02;\r\n"
    "Козлов;Иван;;29586;89123456703;\r\n"
    "Плохой;Телефон;;01.01.1990;12345;\r\n"
    ";Безфамильный;;;89123456704;\r\n"
)


def opts(**kw: object) -> ImportOptions:
    return ImportOptions(**kw)  # type: ignore[arg-type]


# --- rules: no database --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [("Фамилия", "surname"), ("Телефон 2", "phone"), ("Мобильный телефон", "phone"), ("Surname", "surname"),
     ("Phone", "phone"), ("Дата рождения", "birth_date"), ("Date of birth", "birth_date"), ("ФИО", "full_name"),
     ("E-mail", "email"), ("Серия паспорта", "passport_series"), ("Комментарий", None)],
)  # fmt: skip
def test_fields_are_guessed_from_russian_and_english_headers(header: str, field: str | None) -> None:
    found = rules.guess_field(header)
    assert (found.value if found else None) == field


@pytest.mark.parametrize(
    ("value", "day"),
    [("31.12.1980", date(1980, 12, 31)), ("1980-12-31", date(1980, 12, 31)), (29586, date(1980, 12, 31)),
     ("29586", date(1980, 12, 31)), (29586.0, date(1980, 12, 31)), ("3/4/1990", date(1990, 4, 3)), ("", None)],
)  # fmt: skip
def test_dates_as_people_type_them_and_excel_serials(value: object, day: date | None) -> None:
    assert rules.parse_date(value) == day


def test_a_bad_row_has_a_reason_naming_the_column_never_the_value() -> None:
    columns = ["Фамилия", "Имя", "Телефон"]
    mapping = rules.guess_mapping(columns)
    reason = rules.parse_row(7, ["Иванов", "Иван", "12345"], mapping, columns, "RU", date(2025, 1, 1), "interested")
    assert reason == "Телефон: not a valid phone number."
    email = rules.parse_row(
        7, ["Иванов", "Иван", "89123456789", "x@"], {**mapping, 3: ImportField.EMAIL}, [*columns, "Почта"],
        "RU", date(2025, 1, 1), "interested",
    )  # fmt: skip
    assert isinstance(email, str) and "x@" not in email


def test_a_windows_1251_file_with_semicolons_and_an_empty_line_is_read() -> None:
    sheet = reading.open_sheet(CSV.encode("cp1251"), "clients.csv")
    assert sheet.columns[0] == "Фамилия"
    assert [line for line, _ in sheet.rows] == [2, 4, 5, 6, 7]


def test_a_bom_is_dropped() -> None:
    sheet = reading.open_sheet(("\ufeff" + CSV).encode("utf-8"), "clients.csv")
    assert sheet.columns[0] == "Фамилия"


def test_a_full_name_column_is_split() -> None:
    columns = ["ФИО", "Phone"]
    row = rules.parse_row(2, ["Иванов Иван Иванович", "+79123456789"], rules.guess_mapping(columns), columns, "RU",
                          date(2025, 1, 1), "interested")  # fmt: skip
    assert not isinstance(row, str) and (row.surname, row.first_name, row.patronymic) == ("Иванов", "Иван", "Иванович")


# --- the console over both engines ---------------------------------------------------------


def test_the_preview_shows_what_each_row_becomes(console: LocalConsole) -> None:
    preview = console.import_preview(CSV.encode("utf-8"), "c.csv", opts(), limit=10)
    assert preview.mapping["Телефон"] == "phone" and preview.problem is None
    first = preview.rows[0]
    assert first.line == 2 and first.values["phone"] == "+79123456701" and first.values["birth_date"] == "1980-12-31"
    assert [(r.line, r.problem) for r in preview.rows if r.problem] == [
        (6, "Телефон: not a valid phone number."),
        (7, "Surname is required."),
    ]


def test_an_import_reports_each_bad_row_and_loses_nothing_else(console: LocalConsole, crm: Crm) -> None:
    report = console.import_clients(CSV.encode("cp1251"), "c.csv", opts())
    assert (report.status, report.created, report.bad, report.lines_done) == ("done", 3, 2, 7)
    assert [(p.line, p.reason) for p in report.problems] == [
        (6, "Телефон: not a valid phone number."),
        (7, "Surname is required."),
    ]
    found = console.search("+79123456703")
    assert [c.birth_date for c in found] == [date(1980, 12, 31)]  # an Excel serial number
    assert crm.count("email") == 1


def test_duplicates_flagged_skipped_or_merged(console: LocalConsole, crm: Crm) -> None:
    existing = new_client(console, phones=["+79123456701"])
    again = "Фамилия;Имя;Телефон;Телефон 2;Email\nПетров;Пётр;89123456701;89123456799;new@mail.ru\n".encode()
    skipped = console.import_clients(again, "a.csv", opts(duplicates="skip"))
    assert (skipped.created, skipped.skipped) == (0, 1)
    flagged = console.import_clients(again, "a.csv", opts(duplicates="flag"), again=True)
    assert (flagged.created, flagged.flagged) == (0, 1)
    assert crm.count("client", possible_duplicate=True) == 1
    merged = console.import_clients(again, "a.csv", opts(duplicates="merge"), again=True)
    assert merged.merged == 1
    card = console.open_card(existing.id)
    assert sorted(p.number for p in card.phones) == ["+79123456701", "+79123456799"]
    assert [e.address for e in card.emails] == ["new@mail.ru"]
    assert {r.field for r in crm.rows("contact_change", client_id=existing.id)} == {"phone", "email"}


def test_rows_repeating_a_phone_of_the_same_file_are_duplicates_of_its_card(console: LocalConsole, crm: Crm) -> None:
    data = "Фамилия;Имя;Телефон;Email\nПетров;Пётр;89123456701;\nПетров;Пётр;89123456701;p@mail.ru\n".encode()
    report = console.import_clients(data, "a.csv", opts(duplicates="merge"))
    assert (report.created, report.merged) == (1, 1)
    assert crm.count("client") == 1 and crm.count("email") == 1


def test_a_card_of_another_desk_is_never_merged_into_or_told(crm: Crm) -> None:
    other = crm.console("other", desks=("Other desk",))
    new_client(other, phones=["+79123456701"])
    from sqlalchemy import text

    with crm.engine.begin() as conn:  # a role importing for its own desk only
        conn.execute(text("UPDATE role SET permissions = permissions || ',import_clients' WHERE code = 'office'"))
    mine = crm.console("mine", role="office")
    report = mine.import_clients("Фамилия;Имя;Телефон\nПетров;Пётр;89123456701\n".encode(), "a.csv",
                                 opts(duplicates="merge"))  # fmt: skip
    assert (report.flagged, report.merged, report.skipped) == (1, 0, 0)


def test_the_same_file_again_resumes_and_never_doubles(console: LocalConsole, crm: Crm) -> None:
    data = CSV.encode("utf-8")
    from core.imports import operations

    calls: list[int] = []

    def crash(line: int) -> None:
        calls.append(line)
        raise KeyboardInterrupt  # the process dies after the first batch was committed

    original = operations.BATCH_ROWS
    operations.BATCH_ROWS = 2
    try:
        with pytest.raises(KeyboardInterrupt):
            console.import_clients(data, "c.csv", opts(), progress=crash)
        assert crm.count("client") == 2
        report = console.import_clients(data, "c.csv", opts())
    finally:
        operations.BATCH_ROWS = original
    assert calls == [4]
    assert (report.created, report.bad, crm.count("client"), crm.count("import_job")) == (3, 2, 3, 1)


def test_an_xlsx_file_with_typed_cells(console: LocalConsole) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Surname", "First name", "Phone", "Birth date"])
    sheet.append(["Smith", "John", 89123456701, date(1980, 12, 31)])
    sheet.append(["Brown", "Jane", "+7 912 345-67-02", 29586])
    buffer = BytesIO()
    book.save(buffer)
    report = console.import_clients(buffer.getvalue(), "c.xlsx", opts())
    assert (report.created, report.bad) == (2, 0)
    assert [c.birth_date for c in console.search("+79123456702")] == [date(1980, 12, 31)]


def test_imported_clients_join_a_campaign(console: LocalConsole, crm: Crm) -> None:
    from sqlalchemy import insert

    from storage.tables import CampaignRow

    main_desk = console.whoami().desk_ids[0]  # S4: the importer's desk holds the campaign
    with crm.engine.begin() as conn:
        values = {"code": "spring", "name": "Spring", "desk_id": main_desk}
        campaign_id = conn.execute(insert(CampaignRow).values(**values)).inserted_primary_key[0]
    console.import_clients(CSV.encode(), "c.csv", opts(campaign="spring"))
    assert crm.count("campaign_member", campaign_id=campaign_id) == 3
    with pytest.raises(NotFound):
        console.import_clients(CSV.encode(), "c.csv", opts(campaign="nope"))


def test_import_needs_the_permission_and_a_usable_mapping(crm: Crm, console: LocalConsole) -> None:
    operator = crm.console("op", role="operator")
    with pytest.raises(PermissionDenied, match="may not import"):
        operator.import_clients(CSV.encode(), "c.csv", opts())
    with pytest.raises(ValidationFailed, match="No column is mapped to phone"):
        console.import_clients(CSV.encode(), "c.csv", opts(mapping={"Фамилия": "surname", "Имя": "first_name"}))
    with pytest.raises(ValidationFailed, match="No column 'Nope'"):
        console.import_clients(CSV.encode(), "c.csv", opts(mapping={"Nope": "phone"}))


def test_an_import_is_its_importers_unless_all_desks(crm: Crm, console: LocalConsole) -> None:
    from sqlalchemy import text

    with crm.engine.begin() as conn:
        conn.execute(text("UPDATE role SET permissions = permissions || ',import_clients' WHERE code = 'office'"))
    first, second = crm.console("first", role="office"), crm.console("second", role="office")
    report = first.import_clients(CSV.encode(), "c.csv", opts())
    assert first.import_report(report.id).created == 3
    everyone = crm.console("chief", role="administration")  # S4: administration staff see every desk
    assert everyone.import_report(report.id).created == 3
    with pytest.raises(NotFound):
        second.import_report(report.id)


def test_a_file_imported_before_warns_and_needs_again(console: LocalConsole, crm: Crm) -> None:
    data = CSV.encode("utf-8")
    first = console.import_clients(data, "c.csv", opts())
    clients, jobs = crm.count("client"), crm.count("import_job")

    for options in (opts(), opts(duplicates="skip")):  # the same bytes, whatever the options or the name
        with pytest.raises(Conflict) as refused:
            console.import_clients(data, "copy.csv", options)
        earlier = refused.value.current
        assert (earlier.id, earlier.filename, earlier.clients) == (first.id, "c.csv", 3)
        assert earlier.employee == console.whoami().full_name and earlier.at == first.started_at
        assert refused.value.message == (
            f"This file was imported on {first.started_at.astimezone(ZoneInfo('Europe/Moscow')):%d.%m.%Y %H:%M} "
            f"by {console.whoami().full_name}: 3 clients."
        )
    assert (crm.count("client"), crm.count("import_job")) == (clients, jobs)  # nothing written

    again = console.import_clients(data, "c.csv", opts(), again=True)  # confirmed: flagged as duplicates
    assert (again.created, again.flagged, crm.count("client")) == (0, 3, 6)
