"""Every key binding of the console: id, default key, where it works, what it does (EN and RU).

    python -m tui.keymap          # print the table (markdown)
    python -m tui.keymap --write  # write tui/KEYMAP.md

Any binding can be given another key in the config file (`[keymap]`, binding id = key).
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.binding import Binding

from tui.i18n import _, language, set_language

KEYMAP_FILE = Path(__file__).with_name("KEYMAP.md")


def places() -> list[tuple[str, type]]:
    """(where, class) of every node with bindings, in the order an operator meets them."""
    from tui.app import CrmApp
    from tui.dialogs.base import CrmDialog
    from tui.dialogs.call_result import ResultDialog
    from tui.dialogs.comment import CommentDialog
    from tui.dialogs.confirm import ConfirmDialog
    from tui.dialogs.credit_bureau import CreditBureauDialog
    from tui.dialogs.detail import DetailDialog
    from tui.dialogs.duplicate import DuplicateDialog
    from tui.dialogs.edit_contacts import EditContactsDialog
    from tui.dialogs.edit_personal import EditPersonalDialog
    from tui.dialogs.help import HelpDialog
    from tui.dialogs.message import MessageDialog
    from tui.dialogs.new_password import NewPasswordDialog
    from tui.dialogs.office_picker import OfficePickerDialog
    from tui.dialogs.outcome import OutcomeDialog
    from tui.dialogs.products import ProductsDialog
    from tui.dialogs.slot_calendar import SlotCalendarDialog
    from tui.dialogs.strike_phone import StrikePhoneDialog
    from tui.dialogs.task_new import NewTaskDialog
    from tui.dialogs.task_return import TaskReturnDialog
    from tui.screens.admin.audit import AuditScreen
    from tui.screens.admin.desks import DesksScreen
    from tui.screens.admin.employees import SupervisorScreen
    from tui.screens.admin.forms import AdminForm
    from tui.screens.admin.roles import RolesScreen
    from tui.screens.admin.zones import RegionsScreen
    from tui.screens.call import CallScreen
    from tui.screens.calls import CallsScreen, ListsTable
    from tui.screens.campaigns.list import CampaignsScreen
    from tui.screens.card import CardScreen
    from tui.screens.custody.card_keys import CustodyCardKeys
    from tui.screens.custody.duplicates import DuplicatesScreen
    from tui.screens.custody.merge import MergeScreen
    from tui.screens.floor.calls import EmployeeCallsScreen
    from tui.screens.floor.screen import FloorScreen
    from tui.screens.imports.screen import ImportScreen
    from tui.screens.mywork import MyWorkScreen
    from tui.screens.new_client import NewClientScreen
    from tui.screens.placeholder import PlaceScreen
    from tui.screens.reports import ReportsScreen
    from tui.screens.search import ResultsTable, SearchScreen
    from tui.screens.sign_in import SignInScreen
    from tui.screens.tasks import TasksScreen
    from tui.screens.trading.cabinet_keys import CabinetCardKeys
    from tui.screens.trading.card_tab import TradingPane
    from tui.screens.trading.deposits import DepositsScreen
    from tui.screens.trading.reject import RejectDialog
    from tui.screens.work.pipeline import PipelineScreen, PipelineTable
    from tui.screens.work.prompt import PromptDialog
    from tui.widgets.card_tables import CardTable

    return [
        ("everywhere", CrmApp),
        ("sign-in", SignInScreen),
        ("office: search", SearchScreen),
        ("lists and tables", ResultsTable),
        ("client card", CardScreen),
        ("client card", CustodyCardKeys),
        ("client card", CabinetCardKeys),
        ("possible duplicates", DuplicatesScreen),
        ("merging two cards", MergeScreen),
        ("new client", NewClientScreen),
        ("calls", CallsScreen),
        ("call lists", ListsTable),
        ("call", CallScreen),
        ("supervisor: the live floor", FloorScreen),
        ("floor: calls of today", EmployeeCallsScreen),
        ("supervisor: employees", SupervisorScreen),
        ("roles", RolesScreen),
        ("desks", DesksScreen),
        ("regions", RegionsScreen),
        ("audit log", AuditScreen),
        ("administration forms", AdminForm),
        ("new password", NewPasswordDialog),
        ("calls place", PlaceScreen),
        ("reports", ReportsScreen),
        ("pipeline", PipelineScreen),
        ("pipeline rows", PipelineTable),
        ("tasks", TasksScreen),
        ("my work", MyWorkScreen),
        ("campaigns", CampaignsScreen),
        ("import of clients", ImportScreen),
        ("every dialog", CrmDialog),
        ("confirmation", ConfirmDialog),
        ("message", MessageDialog),
        ("in detail", DetailDialog),
        ("help", HelpDialog),
        ("comment", CommentDialog),
        ("edit personal data", EditPersonalDialog),
        ("edit contact data", EditContactsDialog),
        ("strike out a phone", StrikePhoneDialog),
        ("possible duplicate", DuplicateDialog),
        ("outcome of the call", OutcomeDialog),
        ("result of the call", ResultDialog),
        ("office for the visit", OfficePickerDialog),
        ("office calendar", SlotCalendarDialog),
        ("offered products", ProductsDialog),
        ("credit bureau", CreditBureauDialog),
        ("prompt", PromptDialog),
        ("new task", NewTaskDialog),
        ("return a task", TaskReturnDialog),
        ("card lists", CardTable),
        ("card: trading", TradingPane),
        ("deposits and withdrawals", DepositsScreen),
        ("reject a request", RejectDialog),
    ]


def own_bindings(cls: type) -> list[Binding]:
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def rows() -> list[tuple[str, str, str, str, str]]:
    """(where, id, key, English, Russian) of every binding with an id."""
    previous = language()
    found: list[tuple[str, str, str, str, str]] = []
    seen: set[str] = set()
    try:
        for where, cls in places():
            for binding in own_bindings(cls):
                if binding.id is None or binding.id in seen:
                    continue
                seen.add(binding.id)
                set_language("en")
                english = _(binding.description)
                set_language("ru")
                russian = _(binding.description)
                found.append((where, binding.id, key_text(binding.key), english, russian))
    finally:
        set_language(previous)
    return found


def key_text(key: str) -> str:
    """`ctrl+p` -> `Ctrl+P`, `escape` -> `Esc`, `f2` -> `F2`, `e` -> `e`."""
    names = {
        "escape": "Esc",
        "enter": "Enter",
        "down": "Down",
        "up": "Up",
        "left": "Left",
        "right": "Right",
        "home": "Home",
        "end": "End",
        "backspace": "Backspace",
    }
    parts = []
    for one in key.split(","):
        *mods, name = one.split("+")
        if name in names:
            name = names[name]
        elif name.startswith("f") and name[1:].isdigit() or mods:
            name = name.upper()
        parts.append("+".join([m.capitalize() for m in mods] + [name]))
    return " / ".join(parts)


def markdown() -> str:
    lines = [
        "# Keys of the console",
        "",
        "Generated by `python -m tui.keymap --write`; do not edit by hand.",
        "",
        "Every binding has an id. To give it another key, put it in the config file",
        "(`~/.config/crm-console/config.toml`, or the file named by `CRM_CONFIG`):",
        "",
        "```toml",
        "[keymap]",
        '"card.edit_personal" = "f6"',
        '"nav.new_client" = "ctrl+n"',
        "```",
        "",
        "F1 shows the keys of the place you are in; Ctrl+P lists every command there. Arrows, Enter,",
        "Tab and Shift+Tab move and choose in lists, fields and buttons as usual.",
        "",
        "| Where | Binding id | Key | Action | Действие |",
        "|---|---|---|---|---|",
    ]
    for where, binding_id, key, english, russian in rows():
        lines.append(f"| {where} | `{binding_id}` | {key} | {english} | {russian} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = markdown()
    if "--write" in argv:
        KEYMAP_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {KEYMAP_FILE}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
