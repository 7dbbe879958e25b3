"""A list of choices where some may be unavailable: those are shown greyed out WITH the reason why
under their label (the arrows skip them, Enter cannot choose them); the chosen one is marked."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # already in the operator's language
    available: bool = True
    why: str = ""  # already in the operator's language
    note: str = ""  # a second, dim line for available choices (e.g. "3 of 5 places free")


class ChoiceList(OptionList):
    """`marks=True`: radio marks (●/○) show the chosen value; `follow=True`: the highlighted
    choice is the chosen one (a master list), else Enter chooses."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 100%; border: none; padding: 0; }
    ChoiceList:focus { border: none; }
    """

    class Chosen(Message):
        def __init__(self, choice_list: ChoiceList, value: str, selected: bool = True) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.value = value
            self.selected = selected  # Enter (True) or, in a master list, the highlight (False)

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        *,
        id: str,  # noqa: A002
        marks: bool = True,
        follow: bool = False,
        numbers: bool = False,
        inline: bool = False,
    ) -> None:
        super().__init__(id=id, compact=True)
        self.inline = inline  # the why / the note on the label's line, not under it
        self.choices: list[Choice] = []
        self.chosen: str | None = None
        self.marks = marks
        self.follow = follow
        self.numbers = numbers
        self._filling = False
        self._width_used = 0

    def set_choices(self, choices: list[Choice], chosen: str | None = None) -> None:
        same = list(choices) == self.choices and chosen == self.chosen and self.option_count == len(choices)
        if same and self._width_used == self._wrap_width():
            return
        self._filling = True
        try:
            self.choices = list(choices)
            self.chosen = chosen if any(c.value == chosen for c in choices) else None
            self._width_used = self._wrap_width()
            self.set_options(
                [Option(self._prompt(i, c), id=f"c{i}", disabled=not c.available) for i, c in enumerate(choices)]
            )
            index = self.index_of(self.chosen)
            if index is not None and choices[index].available:
                self.highlighted = index
            elif self.follow:
                self.highlighted = None
        finally:
            self._filling = False

    def index_of(self, value: str | None) -> int | None:
        return next((i for i, c in enumerate(self.choices) if c.value == value), None)

    def choice(self, value: str | None) -> Choice | None:
        index = self.index_of(value)
        return self.choices[index] if index is not None else None

    def _prompt(self, index: int, choice: Choice) -> Text:
        text = Text()
        if self.numbers:
            text.append(f"{index + 1} ", style="bold")
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

    def choose(self, value: str | None, announce: bool = True, selected: bool = True) -> None:
        previous = self.chosen
        self.chosen = value
        for index in {self.index_of(previous), self.index_of(value)} - {None}:
            self.replace_option_prompt_at_index(index, self._prompt(index, self.choices[index]))  # type: ignore[arg-type]
        if announce and value is not None:
            self.post_message(self.Chosen(self, value, selected))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.choices) and self.choices[index].available:
            self.choose(self.choices[index].value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if not self.follow or self._filling:
            return
        index = event.option_index
        if (
            0 <= index < len(self.choices)
            and self.choices[index].available
            and self.choices[index].value != self.chosen
        ):
            self.choose(self.choices[index].value, selected=False)
