"""A list of choices where some may be unavailable: those are shown greyed out WITH the reason why
under their label; the cursor reaches them (so their why can be read), but Enter, Space or their
key cannot choose them — the list says why instead. The chosen one is marked.

Moving the highlight never chooses (K14): choosing is an explicit act — Enter, Space, or the row's
key when the list is numbered (`1`-`9`, `0`, then `a`, `b`, ...)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# The keys of a numbered list's rows, in order.
ROW_KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # already in the operator's language
    available: bool = True
    why: str = ""  # already in the operator's language
    note: str = ""  # a second, dim line for available choices (e.g. "3 of 5 places free")


def row_key(index: int) -> str:
    """The key that chooses row `index` of a numbered list ("" past the last key)."""
    return ROW_KEYS[index] if 0 <= index < len(ROW_KEYS) else ""


def keys_span(count: int) -> str:
    """How a hint names the row keys of a list of `count` rows: "1-6", "1-9, 0, a-d"."""
    if count <= 0:
        return ""
    last = row_key(min(count, len(ROW_KEYS)) - 1)
    if count <= 9:
        return f"1-{last}" if count > 1 else "1"
    if count == 10:
        return "1-9, 0"
    return f"1-9, 0, a-{last}" if count > 11 else "1-9, 0, a"


class ChoiceList(OptionList):
    """`marks=True`: radio marks show the chosen value; `numbers=True`: each row shows its key and
    the key chooses it at once."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 100%; border: none; padding: 0; }
    ChoiceList:focus { border: none; }
    """
    BINDINGS = [
        Binding("space", "select", show=False),
        *(Binding(key, f"pick({n})", show=False) for n, key in enumerate(ROW_KEYS)),
    ]

    class Chosen(Message):
        """An available row chosen by Enter, Space or its key."""

        def __init__(self, choice_list: ChoiceList, value: str) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.value = value

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class Refused(Message):
        """An unavailable row that the operator tried to choose: the dialog says why."""

        def __init__(self, choice_list: ChoiceList, choice: Choice) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.choice = choice

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        *,
        id: str,  # noqa: A002
        marks: bool = True,
        numbers: bool = False,
        inline: bool = False,
    ) -> None:
        super().__init__(id=id, compact=True)
        self.inline = inline  # the why / the note on the label's line, not under it
        self.choices: list[Choice] = []
        self.chosen: str | None = None
        self.marks = marks
        self.numbers = numbers
        self._width_used = 0

    def set_choices(self, choices: list[Choice], chosen: str | None = None) -> None:
        same = list(choices) == self.choices and chosen == self.chosen and self.option_count == len(choices)
        if same and self._width_used == self._wrap_width():
            return
        before = self.highlighted_choice
        self.choices = list(choices)
        self.chosen = chosen if any(c.value == chosen for c in choices) else None
        self._width_used = self._wrap_width()
        self.set_options([Option(self._prompt(i, c), id=f"c{i}") for i, c in enumerate(choices)])
        # the chosen row, else the row the cursor was on: new availability never moves the cursor
        index = self.index_of(self.chosen)
        if index is None and before is not None:
            index = self.index_of(before.value)
        if index is not None:
            self.highlighted = index

    def index_of(self, value: str | None) -> int | None:
        return next((i for i, c in enumerate(self.choices) if c.value == value), None)

    def choice(self, value: str | None) -> Choice | None:
        index = self.index_of(value)
        return self.choices[index] if index is not None else None

    @property
    def highlighted_choice(self) -> Choice | None:
        index = self.highlighted
        return self.choices[index] if index is not None and 0 <= index < len(self.choices) else None

    def _prompt(self, index: int, choice: Choice) -> Text:
        text = Text()
        if self.numbers and row_key(index):
            text.append(f"{row_key(index)} ", style="bold")
        if self.marks:
            text.append("● " if choice.value == self.chosen else "○ ")
        if choice.available:
            text.append(choice.label)
            if choice.note:
                text.append(self._second(choice.note), style="dim")
        else:
            text.append(choice.label, style="dim")
            if choice.why:
                text.append(self._second(choice.why), style="italic dim")
        return text

    def _second(self, line: str) -> str:
        """The note or the why: on the label's line, or under it with a hanging indent."""
        if self.inline:
            return f"  {line}"
        width = self._wrap_width()
        return "".join(f"\n  {part}" for part in textwrap.wrap(line, width) or [""])

    def _wrap_width(self) -> int:
        return max(12, (self.scrollable_content_region.width or 40) - 4)

    def on_resize(self) -> None:
        if self.choices and not self.inline and self._width_used != self._wrap_width():
            highlighted = self.highlighted
            self._rerender()
            self.highlighted = highlighted

    def _rerender(self) -> None:
        self._width_used = self._wrap_width()
        for index, choice in enumerate(self.choices):
            self.replace_option_prompt_at_index(index, self._prompt(index, choice))

    def mark(self, value: str | None) -> None:
        """Show `value` as the chosen one (no message: the owner decided it)."""
        previous = self.chosen
        self.chosen = value if any(c.value == value for c in self.choices) else None
        for index in {self.index_of(previous), self.index_of(self.chosen)} - {None}:
            self.replace_option_prompt_at_index(index, self._prompt(index, self.choices[index]))  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            number = parameters[0] if parameters else -1
            return self.numbers and isinstance(number, int) and number < len(self.choices)
        return True

    def action_pick(self, index: int) -> None:
        """The row's key: highlight it and choose it."""
        if 0 <= index < len(self.choices):
            self.highlighted = index
            self._try(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._try(event.option_index)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def _try(self, index: int) -> None:
        if not 0 <= index < len(self.choices):
            return
        choice = self.choices[index]
        if choice.available:
            self.post_message(self.Chosen(self, choice.value))
        else:
            self.post_message(self.Refused(self, choice))
