"""The card fields a column may fill, as the operator reads them, and the dialog to choose one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.imports.models import ImportField
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _

IGNORED = ""
FIELD_LABELS = {
    ImportField.SURNAME.value: N_("Surname"),
    ImportField.FIRST_NAME.value: N_("First name"),
    ImportField.PATRONYMIC.value: N_("Patronymic"),
    ImportField.FULL_NAME.value: N_("Full name"),
    ImportField.BIRTH_DATE.value: N_("Date of birth"),
    ImportField.PHONE.value: N_("Phone"),
    ImportField.EMAIL.value: N_("E-mail"),
    ImportField.PASSPORT.value: N_("Passport"),
    ImportField.PASSPORT_SERIES.value: N_("Passport series"),
    ImportField.PASSPORT_NUMBER.value: N_("Passport number"),
    ImportField.CLIENT_TYPE.value: N_("Client type"),
    IGNORED: N_("(not imported)"),
}


def field_label(field: str | None) -> str:
    return _(FIELD_LABELS.get(field or IGNORED, field or ""))


class FieldDialog(CrmDialog[str]):
    """Which field a column fills; the answer is the field's code ("" : the column is ignored)."""

    PLACE = N_("Column")
    CRM_HELP = N_("Choose the card field this column fills; Esc keeps it as it was.")

    def __init__(self, column: str, current: str | None) -> None:
        super().__init__()
        self.column = column
        self.current = current or IGNORED

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(_("Column '{column}' fills:").format(column=self.column), classes="dialog-title", markup=False)
            yield OptionList(*[Option(_(label), id=code or "-") for code, label in FIELD_LABELS.items()], id="fields")

    def on_mount(self) -> None:
        options = self.query_one("#fields", OptionList)
        options.highlighted = list(FIELD_LABELS).index(self.current) if self.current in FIELD_LABELS else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss("" if event.option.id == "-" else str(event.option.id))
