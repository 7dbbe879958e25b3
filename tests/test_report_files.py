"""R5's files: CSV, XLSX with typed cells, a printable HTML page; the export permission and its audit."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from core.console import LocalConsole
from core.errors import ValidationFailed
from core.reports.files import duration
from core.reports.models import ReportFilter
from tests import report_world
from tests.helpers import T0, Crm
from tests.report_world import MARCH


@pytest.fixture
def admin(crm: Crm) -> LocalConsole:
    report_world.build(crm)
    return crm.console("boss", role="admin")


def march(**extra: object) -> ReportFilter:
    return ReportFilter(start=MARCH[0], end=MARCH[1], **extra)  # type: ignore[arg-type]


def test_xlsx_cells_are_numbers_and_dates(admin: LocalConsole) -> None:
    file = admin.export_report("calls", march(), "xlsx")
    assert file.filename == "calls_2025-03-01_2025-03-31.xlsx"
    assert file.media_type.startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(file.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Employee", "Calls", "Reached", "Successful", "Success share", "Average talk", "Total talk")
    assert rows[3] == ("Bob R", 3, 2, 1, 0.3333, 240, 720)
    assert isinstance(rows[3][1], int) and isinstance(rows[3][4], float)
    assert sheet.cell(row=4, column=5).number_format == "0.0%"
    periods = load_workbook(io.BytesIO(admin.export_report("periods", march(granularity="week"), "xlsx").content))
    cells = list(periods.active.iter_rows(min_row=3, values_only=True))
    assert cells[1][:4] == (datetime(2025, 3, 3), 4, 3, 3)  # the date cell reads back as a date


def test_csv_and_html(admin: LocalConsole) -> None:
    content = admin.export_report("funnel", march(), "csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    assert lines[0] == ["Funnel by channel"]
    assert lines[1][:5] == ["Channel", "New clients", "Reached", "Agreed / visited", "Product"]
    assert lines[3][:5] == ["Internet", "2", "2", "2", "1"]
    assert ["All", "4", "3", "2", "1", "0.75", "0.6667", "0.5", "0.25"] in lines
    page = admin.export_report("first_calls", march(), "html").content.decode()
    assert page.startswith("<!doctype html>") and "First calls per desk" in page
    assert "35:00" in page  # Bob's median, 2100 s
    assert "class='bar'" in page


def test_every_export_is_audited(crm: Crm, admin: LocalConsole) -> None:
    admin.export_report("calls", march(channel="internet"), "csv")
    admin.export_report("periods", march(), "html")
    rows = crm.rows("report_export")
    assert [(r.login, r.report, r.format, r.rows) for r in rows] == [
        ("boss", "calls", "csv", 3),
        ("boss", "periods", "html", 31),
    ]
    assert json.loads(rows[0].filters) == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "granularity": "day",
        "channel": "internet",
    }
    assert rows[0].at.replace(tzinfo=None) == T0.replace(tzinfo=None)
    assert rows[0].employee_id is not None


def test_unknown_report_or_format(admin: LocalConsole, crm: Crm) -> None:
    with pytest.raises(ValidationFailed, match="Unknown report"):
        admin.export_report("no_such_report", march(), "csv")
    with pytest.raises(ValidationFailed, match="Unknown file format"):
        admin.export_report("calls", march(), "pdf")
    assert crm.count("report_export") == 0


def test_durations() -> None:
    assert [duration(s) for s in (9, 309, 3909, 90_000)] == ["0:09", "5:09", "1:05:09", "1d 01:00:00"]


def test_migration_gives_the_report_permissions_to_existing_roles(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import text

    from core.access.rules import DEFAULT_ROLES
    from storage.engine import make_engine
    from storage.migrate import alembic_config

    engine = make_engine(str(tmp_path / "old.sqlite3"))

    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")  # the schema just before the reports
    with engine.begin() as conn:  # the default roles as a database of before the reports has them
        for code, (name, perms) in DEFAULT_ROLES.items():
            old = ",".join(sorted(p for p in perms if p not in ("view_reports", "export_reports")))
            conn.execute(
                text("INSERT INTO role (code, name, permissions) VALUES (:c, :n, :p)"), {"c": code, "n": name, "p": old}
            )
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with engine.connect() as conn:
        perms = dict(conn.execute(text("SELECT code, permissions FROM role")).all())
    engine.dispose()
    assert "view_reports" in perms["supervisor"] and "export_reports" in perms["admin"]
    assert "view_reports" not in perms["operator"]


def test_a_russian_xlsx_has_russian_titles_and_typed_cells(admin: LocalConsole) -> None:
    book = load_workbook(io.BytesIO(admin.export_report("periods", march(granularity="week"), "xlsx", "ru").content))
    assert book.sheetnames == ["Активность по периодам"]
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Активность по периодам: 2025-03-01 – 2025-03-31"
    assert rows[1][:4] == ("Период", "Звонки", "Дозвонились", "Новые клиенты")
    assert (
        "Согласился" in rows[1] and "Не дозвонились" in rows[1]
    )  # R2's result columns by the result's Russian name, not its code
    assert rows[3][:4] == (datetime(2025, 3, 3), 4, 3, 3)  # a date and numbers, as in English
    assert book.active.cell(row=4, column=1).number_format == "yyyy-mm-dd"
    calls = load_workbook(io.BytesIO(admin.export_report("calls", march(), "xlsx", "ru").content)).active
    assert calls.title == "Звонки по сотрудникам"
    found = list(calls.iter_rows(min_row=2, values_only=True))
    assert found[0] == ("Сотрудник", "Звонки", "Дозвонились", "Успешных", "Доля успешных", "Средний разговор",
                        "Всего разговоров")  # fmt: skip
    assert found[2] == ("Bob R", 3, 2, 1, 0.3333, 240, 720) and found[-1][0] == "Всего"


def test_a_russian_csv_translates_titles_and_fixed_labels_not_data(admin: LocalConsole) -> None:
    content = admin.export_report("funnel", march(), "csv", "ru").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    assert lines[0] == ["Воронка по каналам"]
    assert lines[1][:5] == ["Канал", "Новые клиенты", "Дозвонились", "Согласие / визит", "Продукт"]
    assert lines[3][:5] == ["Интернет", "2", "2", "2", "1"]  # the channel's name; numbers as in English
    assert ["Всего", "4", "3", "2", "1", "0.75", "0.6667", "0.5", "0.25"] in lines
    assert ["Воронка по кампаниям"] in lines and any(line[:1] == ["R campaign x"] for line in lines)
    page = admin.export_report("first_calls", march(), "html", "ru").content.decode()
    assert "<h1>Первые звонки: 2025-03-01 – 2025-03-31</h1>" in page and "Первые звонки по группам" in page
    english = admin.export_report("funnel", march(), "csv", "xx").content.decode("utf-8-sig")
    assert english.splitlines()[0] == "Funnel by channel"  # an unknown language: English
