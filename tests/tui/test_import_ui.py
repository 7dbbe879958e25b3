"""M9 import on the console at 80x24, by keyboard only: a small CSV with a bad row (the preview
shows the row's problem, the report its line), and an unfinished import offered and resumed."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.imports import operations
from core.imports.inputs import ImportOptions
from tests.tui.conftest import SIZE, screen_text, settle, status, type_text, until
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.imports.fields import FieldDialog
from tui.screens.imports.files import complete_path
from tui.screens.imports.screen import ImportScreen

CSV = "Фамилия;Имя;Телефон\nЗимина;Анна;8 (912) 700-00-01\nЛетов;Борис;12\nОсенев;Глеб;+7 912 700 00 03\n"


async def open_import(pilot, app) -> ImportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, "Import clients")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
    await settle(pilot)
    return app.screen


async def test_import_a_small_csv_with_a_bad_row(make_app, tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, app)
        await type_text(pilot, str(tmp_path / "cli"))
        await pilot.press("right")  # takes the completion: clients.csv
        assert screen.query_one("#file").value == str(tmp_path / "clients.csv")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None, "the preview")
        text = screen_text(app)
        assert "Фамилия" in text and "Surname" in text and "Phone" in text
        assert "Телефон: not a valid phone number." in text  # line 3's problem
        assert screen.mapping == {"Фамилия": "surname", "Имя": "first_name", "Телефон": "phone"}

        await pilot.press("down", "enter")  # the column Имя: choose its field
        await until(pilot, lambda: isinstance(app.screen, FieldDialog), "the fields")
        await pilot.press("escape")  # kept as it was
        await until(pilot, lambda: app.screen is screen)

        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Телефон -> Phone" in app.screen.details  # type: ignore[attr-defined]
        assert "Duplicates: flag as possible duplicates" in app.screen.details  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(pilot, lambda: screen.report is not None, "the report")
        assert "2 new" in status(app) and "1 bad rows" in status(app)
        text = screen_text(app)
        assert "Why the row was not imported" in text and "Телефон: not a valid phone number." in text
        assert [(p.line, p.reason) for p in screen.report.problems] == [(3, "Телефон: not a valid phone number.")]


async def test_an_unfinished_import_is_offered_and_resumed(make_app, tmp_path: Path, monkeypatch) -> None:
    names = ("Анна", "Борис", "Вера", "Глеб", "Дина", "Егор", "Жанна")
    rows = "".join(f"Клиентова;{name};+7 912 8{n:06d}\n" for n, name in enumerate(names, 1))
    path = tmp_path / "many.csv"
    path.write_text("Фамилия;Имя;Телефон\n" + rows, encoding="utf-8")
    app = make_app("boss")
    monkeypatch.setattr(operations, "BATCH_ROWS", 3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console = app.get_console()
        mapping = {"Фамилия": "surname", "Имя": "first_name", "Телефон": "phone"}

        def crash(line: int) -> None:
            raise KeyboardInterrupt  # the process dies after the first batch was committed

        with pytest.raises(KeyboardInterrupt):
            console.import_clients(path.read_bytes(), str(path), ImportOptions(mapping=mapping), progress=crash)
        screen = await open_import(pilot, app)
        await until(pilot, lambda: screen.unfinished, "the unfinished import")
        assert "stopped after line 4" in status(app)
        assert screen.query_one("#file").value == str(path)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None, "the preview")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: screen.report is not None, "the report")
        assert (screen.report.created, screen.report.lines_done, screen.report.bad) == (7, 8, 0)
        assert len(console.search("+7 912 8000001")) == 1  # the first batch's row once, not twice


def test_the_path_completes_to_directories_and_spreadsheets(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "people.xlsx").write_bytes(b"")
    (tmp_path / "notes.doc").write_bytes(b"")
    assert complete_path(str(tmp_path / "fol")) == str(tmp_path / "folder") + "/"
    assert complete_path(str(tmp_path / "peo")) == str(tmp_path / "people.xlsx")
    assert complete_path(str(tmp_path / "no")) is None  # not a spreadsheet
    assert complete_path(str(tmp_path / "nowhere" / "x")) is None


async def test_a_file_imported_before_asks_before_importing_again(make_app, tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    from tests.tui import world

    source = tmp_path / "clients.csv"
    source.write_text(CSV, encoding="utf-8")
    world.signed_in(db, "boss", world.FixedClock(world.T0)).import_clients(
        source.read_bytes(), "old.csv", ImportOptions()
    )
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, app)

        async def import_it() -> ConfirmDialog:
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and "again" in app.screen.question,
                        "the warning")  # fmt: skip
            return app.screen  # type: ignore[return-value]

        await type_text(pilot, str(source))
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None, "the preview")
        warning = await import_it()
        assert "This file was imported on 10.03.2025" in warning.details and ": 2 clients." in warning.details
        await pilot.press("n")  # not again: nothing written
        await until(pilot, lambda: app.screen is screen)
        assert screen.report is None and "Not imported again." in status(app)

        await import_it()
        await pilot.press("y")
        await until(pilot, lambda: screen.report is not None, "the report")
        assert screen.report.flagged == 2 and screen.report.created == 0
