"""C4: the SMS tab — a template fills the text (not editable); the number is one of the client's
phones (chosen by id, so it works when the number is masked) or one the client dictates."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from core.clients.card_rules import client_text, render_template
from core.errors import ValidationFailed
from core.shapes import PHONE_LEN
from tui import format as fmt
from tui.calls import ConsoleCalls
from tui.errors import error_text
from tui.i18n import _
from tui.widgets.messages_list import MessagesList

if TYPE_CHECKING:
    from core.clients.models import ClientCard, OutboxItem, SmsTemplate
    from core.port import Console

OTHER = -1  # the "another number" choice


class SmsForm(ConsoleCalls, VerticalScroll):
    DEFAULT_CSS = """
    SmsForm { height: 1fr; padding: 0 1; }
    SmsForm Horizontal { height: auto; }
    SmsForm .sms-label { width: 10; }
    SmsForm Select { width: 1fr; }
    SmsForm #sms-text { border: solid $secondary; padding: 0 1; height: auto; }
    SmsForm #sms-number { width: 1fr; }
    """

    class Sent(Message):
        def __init__(self, item: OutboxItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, *, id: str = "sms-form") -> None:  # noqa: A002
        super().__init__(id=id)
        self.card: ClientCard | None = None
        self.templates: list[SmsTemplate] = []
        self._key = uuid.uuid4().hex

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(_("Template"), classes="sms-label")
            yield Select[str]([], id="sms-template", prompt=_("Choose a template"), compact=True)
        yield Static(_("Choose a template: its text is filled in and cannot be changed."), id="sms-text", markup=False)
        with Horizontal():
            yield Label(_("Number"), classes="sms-label")
            yield Select[int]([], id="sms-phone", prompt=_("Choose the number"), compact=True)
        with Horizontal():
            yield Label("", classes="sms-label")
            yield Input(
                id="sms-number",
                compact=True,
                placeholder=_("the number the client dictates"),
                disabled=True,
                max_length=PHONE_LEN,
            )
        with Horizontal():
            yield Label("", classes="sms-label")
            yield Button(_("Send SMS"), id="sms-send", compact=True)
            yield Static("", id="sms-result", markup=False)
        yield MessagesList()

    def show(self, card: ClientCard, templates: list[SmsTemplate]) -> None:
        first = self.card is None or self.card.id != card.id
        self.card = card
        self.templates = templates
        template = self.query_one("#sms-template", Select)
        chosen = template.value
        template.set_options([(_(t.name), t.code) for t in templates])
        if chosen is not Select.NULL and any(t.code == chosen for t in templates):
            template.value = chosen
        phones = [p for p in card.phones if p.status == "active"]
        mobiles = [p for p in phones if p.kind == "mobile"] or phones
        options: list[tuple[str, int]] = []
        for index, p in enumerate(mobiles, 1):
            if p.masked:
                text = _("{kind} #{n} (number hidden)").format(kind=fmt.label(fmt.PHONE_KINDS, p.kind), n=index)
            else:
                text = f"{fmt.phone(p.number)} ({fmt.label(fmt.PHONE_KINDS, p.kind)})"
            options.append((text, p.id))
        options.append((_("Another number…"), OTHER))
        select = self.query_one("#sms-phone", Select)
        previous = select.value
        select.set_options(options)
        if not first and previous is not Select.NULL and any(value == previous for _t, value in options):
            select.value = previous
        elif options[0][1] != OTHER:
            select.value = options[0][1]
        self._update_text()
        self.query_one(MessagesList).load(card.id)

    def clear(self) -> None:
        """Another client: no template, no number, nothing typed."""
        self.card = None
        self._key = uuid.uuid4().hex
        self.query_one("#sms-template", Select).clear()
        self.query_one("#sms-phone", Select).set_options([])
        self.query_one("#sms-number", Input).value = ""
        self.query_one("#sms-result", Static).update("")
        self.query_one(MessagesList).update("")
        self._update_text()

    def _update_text(self) -> None:
        code = self.query_one("#sms-template", Select).value
        template = next((t for t in self.templates if t.code == code), None)
        text = self.query_one("#sms-text", Static)
        if template is None or self.card is None:
            text.update(_("Choose a template: its text is filled in and cannot be changed."))
            return
        card = self.card
        fields = {"first_name": card.first_name, "patronymic": card.patronymic, "full_name": card.full_name}
        text.update(render_template(client_text(template.texts, card.language, template.text), fields))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "sms-template":
            self._update_text()
        elif event.select.id == "sms-phone":
            number = self.query_one("#sms-number", Input)
            number.disabled = event.value != OTHER
            if event.value == OTHER:
                number.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "sms-number":
            event.stop()
            self.send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sms-send":
            event.stop()
            self.send()

    def send(self) -> None:
        if self.card is None:
            return
        code = self.query_one("#sms-template", Select).value
        choice = self.query_one("#sms-phone", Select).value
        if code is Select.NULL:
            self._error(ValidationFailed("Choose an SMS template.", field="template"))
            return
        typed = self.query_one("#sms-number", Input).value.strip()
        phone_id = None if choice in (OTHER, Select.NULL) else int(choice)  # type: ignore[arg-type]
        if phone_id is None and not typed:
            self._error(ValidationFailed("Choose the client's mobile or type a number.", field="phone"))
            return
        client_id, key = self.card.id, self._key

        def job(console: Console) -> OutboxItem:
            return console.send_sms(
                client_id, str(code), number=typed if phone_id is None else None, phone_id=phone_id, idempotency_key=key
            )

        self.query_one("#sms-result", Static).update(_("Sending…"))
        self.call(job, self._sent, group="sms", spinner=self.query_one("#sms-send"), failed=self._error)

    def _sent(self, item: OutboxItem) -> None:
        self._key = uuid.uuid4().hex  # the next send is a new message
        to = fmt.phone(item.to)
        self.query_one("#sms-result", Static).update(_("Queued to {to}.").format(to=to))
        self.query_one("#sms-number", Input).value = ""
        if self.card is not None:
            self.query_one(MessagesList).load(self.card.id)
        self.post_message(self.Sent(item))

    def _error(self, exc: BaseException) -> None:
        self.query_one("#sms-result", Static).update("")
        screen = self.screen
        if hasattr(screen, "status"):
            screen.status(error_text(exc), "error")  # type: ignore[attr-defined]
        field = getattr(exc, "field", None)
        if field == "template":
            self.query_one("#sms-template").focus()
        elif field == "phone":
            number = self.query_one("#sms-number", Input)
            (number if not number.disabled else self.query_one("#sms-phone")).focus()
