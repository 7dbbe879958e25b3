"""The footer: the keys that matter now, as one line of text (two when one does not hold them).

Textual's Footer rebuilds a widget per key whenever the bindings change (every focus change and
screen switch) — most of the time it takes to show a card. This line re-renders text instead.
It shows the same thing: the active bindings marked `show`, grouped bindings as one entry
(e.g. `1-8 Tabs`), the user keymap applied, the command palette key on the right. Keys never
end cut: what does not fit on the first line goes to a second one.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static


class KeyLine(Static):
    DEFAULT_CSS = """
    KeyLine { dock: bottom; height: auto; max-height: 2; width: 1fr; background: $panel; color: $foreground; }
    KeyLine:ansi { background: ansi_default; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self._shown: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def _changed(self, _screen: object) -> None:
        entries, palette = self.entries()
        if (entries, palette) == (self._shown, getattr(self, "_palette", None)):
            return
        self._shown, self._palette = entries, palette
        width = self.size.width or self.app.size.width
        chunks = [Text.assemble((f" {key} ", "bold reverse"), f" {description} ") for key, description in entries]
        if palette:
            chunks.append(Text.assemble((f" {palette[0]} ", "bold reverse"), f" {palette[1]}"))
        lines = [Text(no_wrap=True, overflow="ellipsis")]
        for index, chunk in enumerate(chunks):
            is_palette = palette is not None and index == len(chunks) - 1
            if lines[-1].cell_len + chunk.cell_len > width and lines[-1].cell_len and len(lines) < 2:
                lines.append(Text(no_wrap=True, overflow="ellipsis"))
            if is_palette:  # on the right of the last line
                gap = width - lines[-1].cell_len - chunk.cell_len
                lines[-1].append(" " * max(gap, 1))
            lines[-1].append_text(chunk)
        self.update(Text("\n").join(lines))

    def on_resize(self) -> None:
        self._shown = []
        self._changed(self.screen)

    def entries(self) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
        """(key, description) of the shown bindings, and the palette's (key, description)."""
        return key_entries(self.screen, shown_only=True)


def key_entries(screen: Screen, shown_only: bool) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """(key, description) of the screen's enabled bindings, a group as one entry (`1-9 Answers`),
    and the palette's (key, description). `shown_only`: the bindings marked `show` (the key line);
    else every binding of the console's own (with an id) and a description (F1 help)."""
    app = screen.app
    entries: list[tuple[str, str]] = []
    groups: dict[str, list[Binding]] = {}
    palette: tuple[str, str] | None = None
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or (binding.system and not shown_only):  # system keys stay out of F1
            continue
        if binding.action in ("command_palette", "app.command_palette"):
            palette = (app.get_key_display(binding), binding.description)
            continue
        if not (binding.show if shown_only else binding.id) or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        if binding.group is not None:
            if binding.group.description not in groups:
                groups[binding.group.description] = []
                entries.append(("", binding.group.description))  # placeholder, keys filled below
            groups[binding.group.description].append(binding)
            continue
        entries.append((app.get_key_display(binding), binding.description))
    resolved = []
    for key, description in entries:
        if key == "" and description in groups:
            keys = [app.get_key_display(b) for b in groups[description]]
            key = f"{keys[0]}-{keys[-1]}" if len(keys) > 2 and all(len(k) == 1 for k in keys) else "".join(keys)
        resolved.append((key, description))
    return resolved, palette
