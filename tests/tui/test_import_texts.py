"""M9 in Russian: a bad row's reason and the file's problems read in the operator's language;
the column keeps the file's own name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.errors import ValidationFailed
from core.imports.inputs import MAX_COLUMNS
from core.imports.reading import open_sheet
from core.imports.rules import F, check_mapping, parse_row
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tui.errors import row_reason
from tui.i18n import set_language
from tui.screens.imports.screen import ImportScreen

COLUMNS = ["Фамилия", "Имя", "Телефон", "Тип"]
MAPPING = {0: F.SURNAME, 1: F.FIRST_NAME, 2: F.PHONE, 3: F.CLIENT_TYPE}


def reason(cells: list[object]) -> str:
    parsed = parse_row(2, cells, MAPPING, COLUMNS, "RU", date(2026, 12, 1), "internet")
    assert isinstance(parsed, str), parsed
    return parsed


@pytest.mark.parametrize(
    ("cells", "russian"),
    [
        (["Летов", "Борис", "12", ""], "Телефон: неверный номер телефона."),
        (["Летов", "Борис", "", ""], "нет номера телефона."),
        (["Летов", "Борис", "+7 912 700 00 01", "alien"], "тип клиента: неизвестен; используйте один из: "),
        (["", "Борис", "+7 912 700 00 01", ""], "Поле «Фамилия» обязательно."),
    ],
)
def test_a_bad_rows_reason_in_russian(cells: list[object], russian: str) -> None:
    english = reason(cells)
    set_language("ru")
    try:
        text = row_reason(english)
    finally:
        set_language("en")
    assert text.startswith(russian)
    assert text != english and not any(word in text for word in ("not a", "unknown", "required", "phone number"))


def test_the_files_problems_in_russian() -> None:
    messages = []
    for wrong in ({0: F.SURNAME, 1: F.FIRST_NAME}, {0: F.SURNAME, 1: F.SURNAME, 2: F.PHONE}):
        with pytest.raises(ValidationFailed) as caught:
            check_mapping(wrong)
        messages.append(caught.value.message)
    with pytest.raises(ValidationFailed) as caught:
        open_sheet(";".join(f"c{i}" for i in range(MAX_COLUMNS + 1)).encode() + b"\n", "wide.csv")
    messages.append(caught.value.message)
    set_language("ru")
    try:
        russian = [row_reason(m) for m in messages]
    finally:
        set_language("en")
    assert russian[0] == "Ни один столбец не сопоставлен с телефоном."
    assert russian[1] == "Два столбца сопоставлены полю surname."
    assert all(r != m for r, m in zip(russian, messages, strict=True)), russian


async def test_the_preview_and_the_report_say_why_in_russian(make_app, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text("Фамилия;Имя;Телефон\nЗимина;Анна;8 (912) 700-00-01\nЛетов;Борис;12\n", encoding="utf-8")
    app = make_app("boss", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Загрузка клиентов")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
        screen = app.screen
        await type_text(pilot, str(path))
        await pilot.press("enter")
        await until(pilot, lambda: screen.preview is not None, "the preview")
        text = screen_text(app)
        assert "Телефон: неверный номер телефона." in text
        assert "not a valid" not in text
