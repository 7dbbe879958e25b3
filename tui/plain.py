"""Plain terminals (`CRM_PLAIN=1`, TERM=xterm/linux/screen): every glyph the console draws as ASCII.

A Textual line filter rewrites what each widget renders, after layout: texts, borders, scrollbars,
check boxes, the palette's icons. Each glyph becomes ASCII of the same cell width, so nothing
moves; letters (Cyrillic included) stay as they are.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

# Plain terminals may lack the glyphs Textual prints for keys (⏎, ↑ ...): words instead.
ASCII_KEYS = {
    "esc": "Esc",
    "⏎": "Enter",
    "enter": "Enter",
    "tab": "Tab",
    "⇥": "Tab",
    "↑": "Up",
    "↓": "Down",
    "←": "Left",
    "→": "Right",
    "delete": "Del",
    "⌫": "Bksp",
    "backspace": "Bksp",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "pgup": "PgUp",
    "pgdn": "PgDn",
    "space": "Space",
}
MODERN_TERMS = ("256color", "truecolor", "direct", "kitty", "alacritty", "wezterm", "foot", "ghostty", "iterm")


def plain_terminal(environ: dict[str, str] | None = None) -> bool:
    """True on terminals that can show only the 16 ANSI colours (or none)."""
    env = os.environ if environ is None else environ
    if env.get("CRM_PLAIN") in ("1", "0"):
        return env["CRM_PLAIN"] == "1"
    if "NO_COLOR" in env or env.get("TEXTUAL_COLOR_SYSTEM") in ("standard", "windows"):
        return True
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "").lower()
    return not any(mark in term for mark in MODERN_TERMS)


_GLYPHS = {
    "·": "|",
    "•": "*",
    "…": ".",
    "—": "-",
    "–": "-",
    "→": ">",
    "←": "<",
    "↑": "^",
    "↓": "v",
    "›": ">",
    "‹": "<",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "○": "o",
    "●": "*",
    "◉": "*",
    "★": "*",
    "☆": "*",
    "↔": "-",
    "▼": "v",
    "▲": "^",
    "▶": ">",
    "◀": "<",
    "▐": "[",
    "▌": "]",
    "⏎": "<",
    "✓": "v",
    "✔": "v",
    "×": "x",
    "№": "N",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}
for _ch in "─━═╌╍┄┅┈┉╴╶╸╺▔▁":
    _GLYPHS[_ch] = "-"
for _ch in "│┃║╎╏┆┇┊┋╵╷╹╻▏▕":
    _GLYPHS[_ch] = "|"
for _ch in "┌┐└┘├┤┬┴┼╭╮╰╯╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫":
    _GLYPHS[_ch] = "+"
for _ch in "▂▃▄▅▆▇█▉▊▋▍▎░▒▓":
    _GLYPHS[_ch] = "#"
_TABLE = str.maketrans(_GLYPHS)


@lru_cache(4096)
def _char(ch: str) -> str:
    """ASCII for one glyph left over by the table: a letter stays, anything else becomes `?`."""
    if ch.isascii() or unicodedata.category(ch)[0] in "LM":
        return ch
    return "?" * max(cell_len(ch), 1)


@lru_cache(8192)
def to_ascii(text: str) -> str:
    """`text` with every glyph as ASCII of the same width."""
    if text.isascii():
        return text
    text = text.translate(_TABLE)
    if text.isascii():
        return text
    return "".join(_char(ch) for ch in text)


class AsciiFilter(LineFilter):
    """The line filter: rewrites the text of every segment, keeps its style."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg if seg.control or seg.text.isascii() else Segment(to_ascii(seg.text), seg.style, seg.control)
            for seg in segments
        ]
