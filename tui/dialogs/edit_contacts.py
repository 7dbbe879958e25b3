"""C2, C3: the contact block — phones and e-mails — edited apart from the personal data; the
changes are listed and confirmed before saving. Opens only for employees who see the numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from core.shapes import EMAIL_LEN, PHONE_LEN
from tui import format as fmt
from tui.dialogs.base import CrmDialog, change_note_rows, save_cancel_row
from tui.dialogs.confirm import ConfirmDialog
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console

KINDS = ("mobile", "home", "work")


class EditContactsDialog(CrmDialog["ClientCard | None"]):
    PLACE = N_("Edit contact data")
    CRM_HELP = N_(
        "Correct a phone or an e-mail, add a new one in the empty line, or clear an e-mail to remove it. "
        "A number that is not the client's is struck out instead (key x on the card). Ctrl+S lists the "
        "changes, asks for confirmation and saves; Esc cancels."
    )
    FIELDS = {"phone": "phone-new", "phone_kind": "kind-new", "email": "email-new"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="contacts.save", priority=True)]

    def __init__(self, card: ClientCard) -> None:
        super().__init__()
        self.card = card

    def body(self) -> ComposeResult:
        card = self.card
        kinds = [(fmt.label(fmt.PHONE_KINDS, k), k) for k in KINDS]
        with Vertical(classes="dialog-box"):
            yield Static(
                _("Contact data of {name}, CRM id {id}").format(name=card.full_name, id=card.id),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="contact-rows"):
                for p in card.phones:
                    struck = p.status != "active"
                    with Horizontal(classes="form-row"):
                        yield Label(_("Phone"), classes="form-label")
                        yield Input(p.number, id=f"phone-{p.id}", compact=True, disabled=struck, max_length=PHONE_LEN)
                        yield Select(
                            kinds, id=f"kind-{p.id}", value=p.kind, compact=True, allow_blank=False, disabled=struck
                        )
                with Horizontal(classes="form-row"):
                    yield Label(_("New phone"), classes="form-label")
                    yield Input(id="phone-new", compact=True, placeholder=_("any written form"), max_length=PHONE_LEN)
                    yield Select(kinds, id="kind-new", value="mobile", compact=True, allow_blank=False)
                for e in card.emails:
                    with Horizontal(classes="form-row"):
                        yield Label(_("E-mail"), classes="form-label")
                        yield Input(e.address, id=f"email-{e.id}", compact=True, max_length=EMAIL_LEN)
                with Horizontal(classes="form-row"):
                    yield Label(_("New e-mail"), classes="form-label")
                    yield Input(id="email-new", compact=True, max_length=EMAIL_LEN)
                yield from change_note_rows()
            yield from save_cancel_row()

    def on_mount(self) -> None:
        first = next((i for i in self.query(Input) if not i.disabled), None)
        if first is not None:
            first.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def show_error(self, exc: BaseException) -> None:
        super().show_error(exc)
        message = getattr(exc, "message", "")
        for widget in self.query(Input):  # point at the very input the value came from
            if widget.value.strip() and f"'{widget.value.strip()}'" in message:
                widget.focus()
                return

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _kind(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def _collect(self) -> tuple[list[tuple[int | None, str, str]], list[tuple[int | None, str]], list[str]]:
        phones: list[tuple[int | None, str, str]] = []
        emails: list[tuple[int | None, str]] = []
        changes: list[str] = []
        for p in self.card.phones:
            if p.status != "active":
                continue
            number, kind = self._text(f"phone-{p.id}"), self._kind(f"kind-{p.id}")
            if number != p.number or kind != p.kind:
                phones.append((p.id, number, kind))
                changes.append(_("Phone") + f": {fmt.phone(p.number)} → {number} ({fmt.label(fmt.PHONE_KINDS, kind)})")
        if self._text("phone-new"):
            kind = self._kind("kind-new")
            phones.append((None, self._text("phone-new"), kind))
            changes.append(_("New phone") + f": {self._text('phone-new')} ({fmt.label(fmt.PHONE_KINDS, kind)})")
        for e in self.card.emails:
            address = self._text(f"email-{e.id}")
            if address != e.address:
                emails.append((e.id, address))
                new = address or _("(removed)")
                changes.append(_("E-mail") + f": {e.address} → {new}")
        if self._text("email-new"):
            emails.append((None, self._text("email-new")))
            changes.append(_("New e-mail") + f": {self._text('email-new')}")
        return phones, emails, changes

    def action_save(self) -> None:
        _phones, _emails, changes = self._collect()
        if not changes:
            self.status(_("Nothing has changed."))
            return
        self.app.push_screen(ConfirmDialog(_("Save the changes of contact data?"), "\n".join(changes)), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        from core.clients.inputs import ContactEdit, EmailInput, PhoneInput

        phones, emails, _changes = self._collect()
        edit = ContactEdit(
            phones=[PhoneInput(id=i, number=n, kind=k) for i, n, k in phones],
            emails=[EmailInput(id=i, address=a) for i, a in emails],
            expected_version=self.card.contact_version,
            reason=self._text("reason") or None,
            comment=self._text("comment") or None,
        )
        client_id = self.card.id

        def job(console: Console) -> ClientCard:
            return console.edit_contacts(client_id, edit)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="save", spinner=self.query_one("#save"))
