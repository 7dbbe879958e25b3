"""C2, S7: the personal block — surname, name, patronymic, birth date, region and town — edited
apart from the contacts, confirmed before saving; a read-only card never opens this dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tui import format as fmt
from tui.dialogs.base import CrmDialog, change_note_rows, save_cancel_row
from tui.dialogs.confirm import ConfirmDialog
from tui.i18n import N_, _
from tui.limits import max_length
from tui.widgets.places import RegionTown

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console


class EditPersonalDialog(CrmDialog["ClientCard | None"]):
    PLACE = N_("Edit personal data")
    CRM_HELP = N_(
        "Change the surname (e.g. after marriage), the name, the birth date (dd.mm.yyyy) or the region "
        "and town where the client lives. Ctrl+S asks for confirmation and saves; Esc cancels. Every "
        "change is recorded with the reason and your name."
    )
    FIELDS = {
        "surname": "surname",
        "first_name": "first-name",
        "patronymic": "patronymic",
        "birth_date": "birth-date",
        "region": "region",
        "town": "town",
    }
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="personal.save", priority=True)]

    def __init__(self, card: ClientCard) -> None:
        super().__init__()
        self.card = card

    def body(self) -> ComposeResult:
        card = self.card
        with Vertical(classes="dialog-box"):
            yield Static(
                _("Personal data of {name}, CRM id {id}").format(name=card.full_name, id=card.id),
                classes="dialog-title",
                markup=False,
            )
            for field_id, label, value in (
                ("surname", _("Surname"), card.surname),
                ("first-name", _("First name"), card.first_name),
                ("patronymic", _("Patronymic"), card.patronymic),
                ("birth-date", _("Birth date"), fmt.day(card.birth_date)),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(
                        value,
                        id=field_id,
                        compact=True,
                        max_length=max_length(field_id),
                        placeholder=_("dd.mm.yyyy") if field_id == "birth-date" else "",
                    )
            yield RegionTown(card.region_id, card.town_id)
            yield from change_note_rows()
            yield from save_cancel_row()

    def on_mount(self) -> None:
        self.query_one("#surname").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def action_save(self) -> None:
        try:
            self.birth = fmt.parse_day(self._value("birth-date"))
        except ValueError:
            self.status(_("Write the birth date as dd.mm.yyyy."), "error")
            self.query_one("#birth-date").focus()
            return
        places = self.query_one(RegionTown)
        changes = []
        card = self.card
        for label, old, new in (
            (_("Surname"), card.surname, self._value("surname").strip()),
            (_("First name"), card.first_name, self._value("first-name").strip()),
            (_("Patronymic"), card.patronymic, self._value("patronymic").strip()),
            (_("Birth date"), fmt.day(card.birth_date), fmt.day(self.birth)),
            (_("Region"), card.region or "", places.region_name()),
            (_("Town"), card.town or "", places.town_name()),
        ):
            if old != new:
                changes.append(f"{label}: {old or '—'} → {new or '—'}")
        if not changes:
            self.status(_("Nothing has changed."))
            return
        question = _("Save the changes of personal data?")
        self.app.push_screen(ConfirmDialog(question, "\n".join(changes)), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        from core.clients.inputs import PersonalEdit

        places = self.query_one(RegionTown)
        edit = PersonalEdit(
            surname=self._value("surname"),
            first_name=self._value("first-name"),
            patronymic=self._value("patronymic"),
            birth_date=self.birth,
            region_id=places.region_id,
            town_id=places.town_id,
            expected_version=self.card.personal_version,
            reason=self._value("reason").strip() or None,
            comment=self._value("comment").strip() or None,
        )
        client_id = self.card.id

        def job(console: Console) -> ClientCard:
            return console.edit_personal(client_id, edit)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="save", spinner=self.query_one("#save"))
