"""K17, F3: the new potential client questionnaire, with the duplicate check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from core.clients.duplicates import ASK_SUPERVISOR
from core.digits import ascii_digits, is_digits
from core.shapes import MAX_ID
from core.vocab import CLIENT_TYPE_LABELS
from tui import format as fmt
from tui.i18n import N_, _
from tui.limits import max_length
from tui.screens.base import Command, CrmScreen
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.places import RegionTown
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import ClientCard, ClientSummary
    from core.port import Console

# (widget id, label msgid) in pairs per row; None leaves the right half empty
ROWS: tuple[tuple[tuple[str, str], tuple[str, str] | None], ...] = (
    (("surname", N_("Surname")), ("first-name", N_("First name"))),
    (("patronymic", N_("Patronymic")), ("birth-date", N_("Birth date"))),
    (("passport-series", N_("Passport series")), ("passport-number", N_("Passport number"))),
    (("mobile", N_("Mobile")), ("phone2", N_("Other phone"))),
    (("email", N_("E-mail")), ("referrer", N_("Recommended by"))),
    (("comment", N_("Comment")), None),
)
PLACEHOLDERS = {"birth-date": N_("dd.mm.yyyy"), "mobile": N_("any written form"), "referrer": N_("CRM id")}


class NewClientScreen(CrmScreen):
    PLACE = N_("New client")
    CRM_HELP = N_(
        "The questionnaire of a new potential client. Surname, first name and a phone are required; "
        "the passport is 4 + 6 digits. Ctrl+S saves: if a card with the same phone or passport exists, "
        "it is shown and you open it or confirm a new card. Esc returns to the search."
    )
    FIELD_HELP = {
        "birth-date": N_("dd.mm.yyyy, e.g. 17.05.1980."),
        "client-type": N_(
            "Where the card comes from; Client and Front-office cards cannot change personal data later."
        ),
        "mobile": N_("The client's mobile in any written form: 8 912 345-67-89, +7 (912) 3456789, 9123456789."),
        "referrer": N_("CRM id of the client who recommended this one (office staff only)."),
    }
    FIELDS = {
        "surname": "surname",
        "first_name": "first-name",
        "patronymic": "patronymic",
        "birth_date": "birth-date",
        "client_type": "client-type",
        "region": "region",
        "town": "town",
        "passport_series": "passport-series",
        "passport_number": "passport-number",
        "phones": "mobile",
        "phone": "mobile",
        "email": "email",
        "comment": "comment",
    }
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="new_client.save", priority=True),
        Binding("escape", "back", N_("Back"), id="new_client.back"),
        Binding("ctrl+l", "clear", N_("Clear the form"), id="new_client.clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="new-client-screen")

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("new_client")
        with VerticalScroll(id="questionnaire"):
            yield Static(_("New potential client"), classes="form-title")
            for left, right in ROWS[:2]:
                yield self._row(left, right)
            with Horizontal(classes="form-row"), Horizontal(classes="pair"):
                yield Label(_("Client type"), classes="form-label")
                types = [(_(text), str(code)) for code, text in CLIENT_TYPE_LABELS.items()]
                yield Select(types, id="client-type", value="interested", compact=True, allow_blank=False)
            yield RegionTown(inline=True)
            for left, right in ROWS[2:]:
                yield self._row(left, right)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", compact=True, variant="primary")
                yield Button(_("Clear"), id="clear", compact=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def _row(self, left: tuple[str, str], right: tuple[str, str] | None) -> Horizontal:
        pairs = []
        for widget_id, label in (left, right) if right else (left,):
            placeholder = _(PLACEHOLDERS[widget_id]) if widget_id in PLACEHOLDERS else ""
            pairs.append(
                Horizontal(
                    Label(_(label), classes="form-label"),
                    Input(id=widget_id, compact=True, placeholder=placeholder, max_length=max_length(widget_id)),
                    classes="pair" if right else "pair wide",
                )
            )
        return Horizontal(*pairs, classes="form-row")

    def on_mount(self) -> None:
        self.query_one("#surname").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "clear":
            self.action_clear()

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]

    def action_clear(self) -> None:
        for widget in self.query(Input):
            widget.value = ""
        self.query_one("#client-type", Select).value = "interested"
        self.query_one("#region", Select).clear()
        self.status("")
        self.query_one("#surname").focus()

    def prefill(self, query: str) -> None:
        """From an empty search: a phone, an e-mail or a name goes to its field."""
        text = query.strip()
        if not text:
            return
        if "@" in text:
            self.query_one("#email", Input).value = text
        elif any(ch.isdigit() for ch in text):
            self.query_one("#mobile", Input).value = text
        else:
            parts = [p[:1].upper() + p[1:] for p in text.split()]
            for widget_id, value in zip(("surname", "first-name", "patronymic"), parts, strict=False):
                self.query_one(f"#{widget_id}", Input).value = value
        self.query_one("#surname").focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _draft(self) -> dict[str, Any] | None:
        try:
            birth = fmt.parse_day(self._value("birth-date"))
        except ValueError:
            self.status(_("Write the birth date as dd.mm.yyyy."), "error")
            self.query_one("#birth-date").focus()
            return None
        referrer = ascii_digits(self._value("referrer"))
        if referrer and not (is_digits(referrer) and int(referrer) <= MAX_ID):
            self.status(_("Recommended by: the CRM id is digits only."), "error")
            self.query_one("#referrer").focus()
            return None
        places = self.query_one(RegionTown)
        return {
            "surname": self._value("surname"),
            "first_name": self._value("first-name"),
            "patronymic": self._value("patronymic"),
            "birth_date": birth,
            "client_type": str(self.query_one("#client-type", Select).value),
            "region_id": places.region_id,
            "town_id": places.town_id,
            "passport_series": self._value("passport-series") or None,
            "passport_number": self._value("passport-number") or None,
            "phones": [p for p in (self._value("mobile"), self._value("phone2")) if p],
            "email": self._value("email") or None,
            "referrer_id": int(referrer) if referrer else None,
            "comment": self._value("comment") or None,
        }

    def action_save(self, allow_duplicate: bool = False) -> None:
        values = self._draft()
        if values is None:
            return

        def job(console: Console) -> ClientCard:
            from core.clients.inputs import NewClient

            return console.create_client(NewClient(**values), allow_duplicate=allow_duplicate)

        self.status(_("Saving…"))
        self.call(job, self._created, group="save", spinner=self.query_one("#questionnaire"), failed=self._failed)

    def _created(self, card: ClientCard) -> None:
        self.action_clear()
        self.status(_("Card {id} created for {name}.").format(id=card.id, name=card.full_name), "success")
        self.app.open_card(card.id)  # type: ignore[attr-defined]

    def _failed(self, exc: BaseException) -> None:
        if getattr(exc, "code", "") == "duplicate":
            found = _("Possible duplicate: check the cards found.")
            self.status(found if getattr(exc, "matches", None) else _(ASK_SUPERVISOR), "error")
            self._show_duplicates(list(getattr(exc, "matches", []) or []))
            return
        self.show_error(exc)

    def _show_duplicates(self, matches: list[ClientSummary]) -> None:
        from tui.dialogs.duplicate import DuplicateDialog

        self.app.push_screen(DuplicateDialog(matches), self._duplicate_answer)

    def _duplicate_answer(self, answer: tuple[str, int | None] | None) -> None:
        if answer is None:
            self.status(_("Nothing saved; the questionnaire is as you left it."))
            return
        action, client_id = answer
        if action == "open" and client_id is not None:
            self.status(_("Opened the existing card; the questionnaire is kept."))
            self.app.open_card(client_id)  # type: ignore[attr-defined]
        elif action == "create":
            self.action_save(allow_duplicate=True)

    def palette_commands(self) -> list[Command]:
        return [
            (_("Save the new client"), self.action_save, _("Ctrl+S")),
            (_("Clear the form"), self.action_clear, ""),
        ]
