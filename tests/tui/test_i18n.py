"""English and Russian: the catalogue covers every label; core messages are translated too."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from core.calls.catalogue import catalogue_text
from core.calls.results import msgids
from core.errors import ValidationFailed
from tui import locale_tools as lt
from tui.babel_extract import catalogue_labels
from tui.errors import error_text, translate_message
from tui.i18n import LOCALE_DIR, _, ngettext, pick_language, set_language

# The console of issue 3 (sign-in, search, card, new client); the call screens are checked by their own tests.
CONSOLE_FILES = [
    "app.py", "bindings.py", "calls.py", "commands.py", "errors.py", "format.py", "keymap.py",
    "screens/base.py", "screens/sign_in.py", "screens/search.py", "screens/card.py",
    "screens/new_client.py", "screens/placeholder.py",
    "dialogs/base.py", "dialogs/comment.py", "dialogs/confirm.py", "dialogs/detail.py", "dialogs/duplicate.py",
    "dialogs/edit_contacts.py", "dialogs/edit_personal.py", "dialogs/help.py", "dialogs/message.py",
    "dialogs/strike_phone.py",
    "widgets/card_main.py", "widgets/card_tables.py", "widgets/header.py", "widgets/key_line.py",
    "widgets/places.py", "widgets/sms_form.py", "widgets/status.py", "widgets/tab_bar.py",
]  # fmt: skip
MARKERS = {"_": 1, "N_": 1, "ngettext": 2}  # the keywords of babel.cfg's tui section and their literal arguments


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return lt.template()


def msgid(message) -> str:  # type: ignore[no-untyped-def]
    return message.id if isinstance(message.id, str) else message.id[0]


def found_in(template: Catalog, files: set[str]) -> set[str]:
    return {msgid(m) for m in template if m.id and any(path in files for path, _line in m.locations)}


def translated_ids() -> set[str]:
    return {m if isinstance(m, str) else m[0] for m in lt.translations(lt.read_catalog())}  # type: ignore[index]


def test_every_label_of_the_console_is_translated(extracted: Catalog) -> None:
    ids = found_in(extracted, {f"tui/{name}" for name in CONSOLE_FILES})
    assert len(ids) > 100
    assert ids - translated_ids() == set(), "run: python -m tui.locale_tools extract, then translate"


def test_other_tui_labels_are_translated(extracted: Catalog) -> None:
    ids = {msgid(m) for m in extracted if m.id and any(path.startswith("tui/") for path, _line in m.locations)}
    missing = ids - translated_ids()
    assert not missing, f"{len(missing)} tui texts without Russian, e.g. {sorted(missing)[:3]}"


def test_core_messages_are_in_the_catalogue(extracted: Catalog) -> None:
    core = {msgid(m) for m in extracted if m.id and not all(p.startswith("tui/") for p, _line in m.locations)}
    assert {
        "Wrong login, password or code.",  # the default message of AuthFailed
        "Your role may not edit personal data.",  # a refused Verdict
        "Read-only card.",  # PermissionDenied(verdict.reason or "Read-only card.")
        "Approved",  # DECISION_LABELS
        "Administrator",  # DEFAULT_ROLES
        "Cash loan",  # PRODUCTS
        "Office hours",  # SMS_TEMPLATES
    } <= core
    missing = core - translated_ids()
    assert not missing, f"core texts without Russian: {sorted(missing)[:5]}…"


def literal_markers(path: Path) -> set[str]:
    """The literal texts of `_()`, `N_()`, `ngettext()` calls, also those inside f-strings."""
    texts = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for arg in node.args[: MARKERS.get(name, 0)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                    texts.add(arg.value)
    return texts


def test_the_extractor_misses_no_marked_text(extracted: Catalog) -> None:
    """Babel reads Python by tokens: on Python 3.11 a `_()` inside an f-string is one string token, unseen."""
    plurals = {m.id[1] for m in extracted if isinstance(m.id, tuple)}
    missed = {}
    for path in sorted((lt.ROOT / "tui").rglob("*.py")):
        if path.name not in ("locale_tools.py", "babel_extract.py"):
            name = path.relative_to(lt.ROOT).as_posix()
            if lost := literal_markers(path) - found_in(extracted, {name}) - plurals:
                missed[name] = sorted(lost)
    assert missed == {}, "take the _() call out of the f-string: _('Phone') + f': {number}'"


def test_the_babel_extractor_finds_the_catalogue_labels(extracted: Catalog) -> None:
    text = catalogue_text()  # core/calls/results.toml
    labels = catalogue_labels(text)
    lines = text.splitlines()
    assert ("Call back" in {text for _line, text in labels}) and ("Fax / modem" in {text for _line, text in labels})
    assert all(f'"{text}"' in lines[line - 1] for line, text in labels)  # each points at the line it is written on
    ids = {msgid(m) for m in extracted}
    assert {text for _line, text in labels} <= ids
    assert set(msgids()) <= ids  # every fixed text of the result catalogue, labels and reasons why not


def test_the_compiled_catalogue_is_current_and_loads() -> None:
    compiled = gettext.GNUTranslations(lt.MO_FILE.open("rb"))  # the .mo in git, read by Python's own gettext
    in_mo = {key: value for key, value in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    in_po = {}
    for key, value in lt.translations(lt.read_catalog()).items():
        if isinstance(key, tuple):
            in_po.update({(key[0], i): text for i, text in enumerate(value)})  # type: ignore[arg-type]
        else:
            in_po[key] = value
    assert in_mo == in_po, "run: python -m tui.locale_tools compile"
    assert [problem for problem in lt.problems() if "crm.mo" in problem] == []
    catalogue = gettext.translation("crm", LOCALE_DIR, languages=["ru"])
    assert catalogue.gettext("Sign in to the CRM console") == "Вход в CRM"


def test_check_reports_untranslated_fuzzy_missing_and_a_stale_mo(tmp_path: Path) -> None:
    catalog = Catalog(locale="ru", domain="crm")
    catalog.add("Done", "Готово")
    catalog.add("Open", "")
    catalog.add("Close", "Закрыть", flags=["fuzzy"])
    po, mo = tmp_path / "crm.po", tmp_path / "crm.mo"
    with po.open("wb") as out:
        write_po(out, catalog)
    assert lt.problems(po, mo) == [
        "untranslated: 'Open'",
        "fuzzy: 'Close'",
        "crm.mo is missing: run python -m tui.locale_tools compile",
    ]
    with mo.open("wb") as out:
        write_mo(out, catalog)
    wanted = Catalog()
    wanted.add("Done")
    wanted.add("Save")
    assert lt.problems(po, mo, wanted) == ["untranslated: 'Open'", "fuzzy: 'Close'", "not in the catalogue: 'Save'"]
    catalog["Open"].string = "Открыть"  # translated in the .po after the .mo was compiled
    with po.open("wb") as out:
        write_po(out, catalog)
    assert lt.problems(po, mo)[-1] == "crm.mo is stale: run python -m tui.locale_tools compile"


def test_russian_plurals() -> None:
    set_language("ru")
    forms = [ngettext("{n} client found", "{n} clients found", n).format(n=n) for n in (1, 3, 5, 21, 11)]
    assert forms == [
        "Найден 1 клиент",
        "Найдено 3 клиента",
        "Найдено 5 клиентов",
        "Найден 21 клиент",
        "Найдено 11 клиентов",
    ]


@pytest.mark.parametrize(
    ("message", "russian"),
    [
        ("Wrong login, password or code.", "Неверный логин, пароль или код."),
        ("Surname is required.", "Поле «Фамилия» обязательно."),
        ("'12345' is not a valid phone number.", "«12345» — неверный номер телефона."),
        ("Your role may not send SMS.", "Вашей роли не разрешено отправлять SMS."),
        (
            "Personal data of a card of type 'Client' cannot be changed.",
            "Личные данные в карточке типа «Клиент» изменять нельзя.",
        ),
        (
            "Choose a reason: Do not contact, Changed, Not in use, Wrong.",
            "Выберите причину: Не контактировать, Изменился, Не используется, Неверный.",
        ),
        ("Birth date gives an age of 5; expected 14 to 120.", "По дате рождения возраст 5; ожидается от 14 до 120."),
        ("Something nobody translated.", "Something nobody translated."),
    ],
)
def test_core_error_messages_in_russian(message: str, russian: str) -> None:
    set_language("ru")
    assert translate_message(message) == russian


def test_error_text_of_non_crm_errors() -> None:
    set_language("en")
    assert error_text(ValidationFailed("Surname is required.", field="surname")) == "Surname is required."
    assert error_text(ConnectionRefusedError("refused")) == "The store does not answer: refused"
    assert error_text(KeyError("x")) == "Unexpected error: KeyError: 'x'"


@pytest.mark.parametrize(
    ("requested", "env", "expected"),
    [
        ("ru", {}, "ru"),
        ("en", {"LANG": "ru_RU.UTF-8"}, "en"),
        (None, {"LANG": "ru_RU.UTF-8"}, "ru"),
        (None, {"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "ru"),
        (None, {"LANGUAGE": "de:ru"}, "en"),
        (None, {}, "en"),
        ("xx", {"LANG": "ru_RU.UTF-8"}, "ru"),
    ],
)
def test_language_choice(requested, env, expected) -> None:  # type: ignore[no-untyped-def]
    assert pick_language(requested, env) == expected


def test_english_is_the_source() -> None:
    set_language("en")
    assert _("Sign in to the CRM console") == "Sign in to the CRM console"


def test_adopt_takes_the_other_sides_translations(tmp_path: Path) -> None:
    ours, theirs = Catalog(locale="ru", domain="crm"), Catalog(locale="ru", domain="crm")
    ours.add("Done", "Готово")
    ours.add("Open", "")
    ours.add("Close", "Закр", flags=["fuzzy"])
    theirs.add("Done", "Сделано")
    theirs.add("Open", "Открыть")
    theirs.add("Close", "Закрыть")
    theirs.add("Save", "Сохранить")
    theirs.add("Skip", "Пропуск", flags=["fuzzy"])
    theirs.add(("{n} client", "{n} clients"), ("{n} клиент", "{n} клиента", "{n} клиентов"))
    for catalog, name in ((ours, "crm.po"), (theirs, "theirs.po")):
        with (tmp_path / name).open("wb") as out:
            write_po(out, catalog)
    clashes = lt.adopt(tmp_path / "theirs.po", tmp_path / "crm.po")
    assert clashes == ["kept 'Готово', not 'Сделано' for 'Done'"]
    assert lt.translations(lt.read_catalog(tmp_path / "crm.po")) == {
        "Done": "Готово",
        "Open": "Открыть",
        "Close": "Закрыть",
        "Save": "Сохранить",
        ("{n} client", "{n} clients"): ("{n} клиент", "{n} клиента", "{n} клиентов"),
    }


def test_adopting_the_catalogue_into_a_copy_of_itself_changes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "crm.po"
    copy.write_bytes(lt.PO_FILE.read_bytes())
    assert lt.adopt(lt.PO_FILE, copy) == []
    assert lt.translations(lt.read_catalog(copy)) == lt.translations(lt.read_catalog())
