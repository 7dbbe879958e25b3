"""A one-line prompt: a name for a view, the tags of a card, a tag for a whole view. Enter or
Ctrl+S runs the Console job with the text typed; Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.dialogs.base import CrmDialog, save_cancel_row
from tui.i18n import N_, _

if TYPE_CHECKING:
    from textual.widgets import Button

    from core.port import Console


class PromptDialog(CrmDialog[Any]):
    PLACE = N_("Prompt")
    CRM_HELP = N_("Type the text and press Enter (or Ctrl+S); Esc cancels.")
    FIELDS = {"tag": "prompt", "name": "prompt", "conditions": "prompt"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="prompt.save", priority=True)]

    def __init__(self, title: str, value: str, job: Callable[[Console, str], Any], max_length: int = 200) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.job = job
        self.max_length = max_length

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, id="prompt", compact=True, max_length=self.max_length)
            yield from save_cancel_row()

    def on_mount(self) -> None:
        self.query_one("#prompt", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        text = self.query_one("#prompt", Input).value
        job = self.job
        self.status(_("Saving…"))
        self.call(lambda console: job(console, text), self.dismiss, group="prompt", spinner=self.query_one("#save"))


def tag_words(text: str) -> list[str]:
    """`#vip frozen, retention` -> the tags typed (commas and spaces both separate)."""
    return [w for w in text.replace(",", " ").split() if w.strip("#")]


def edit_card_tags(screen: Any) -> None:
    """The card's `t`: its tags in one line; what is typed becomes the card's tags."""
    from core.work.inputs import TagEdit

    card = screen.card
    if card is None:
        return
    before = set(card.tags)
    client_id = card.id

    def job(console: Console, text: str) -> list[str]:
        from core.work.rules import tag_key

        after = {tag_key(w) for w in tag_words(text)}
        return console.edit_tags(client_id, TagEdit(add=sorted(after - before), remove=sorted(before - after)))

    def done(tags: list[str] | None) -> None:
        if tags is not None:
            screen.status(_("Tags: {tags}").format(tags=" ".join(f"#{t}" for t in tags) or "—"), "success")
            screen.load()

    title = _("Tags of {name} (separated by spaces)").format(name=card.full_name)
    shown = " ".join(f"#{t}" for t in card.tags)
    screen.app.push_screen(PromptDialog(title, shown, job), done)
