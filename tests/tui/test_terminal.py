"""Plain terminals: 16 colours (the ANSI theme) or none; ASCII key names in the footer."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, screen_text, settle
from tui.plain import plain_terminal


@pytest.mark.parametrize(
    ("env", "plain"),
    [
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "tmux-256color"}, False),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, False),
        ({"TERM": "xterm"}, True),
        ({"TERM": "linux"}, True),
        ({"TERM": "screen"}, True),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, True),
        ({"TERM": "linux", "CRM_PLAIN": "0"}, False),
        ({"TERM": "xterm-256color", "CRM_PLAIN": "1"}, True),
    ],
)
def test_plain_terminal_detection(env: dict[str, str], plain: bool) -> None:
    assert plain_terminal(env) is plain


async def test_plain_mode_uses_the_ansi_theme_and_ascii_keys(make_app) -> None:
    app = make_app("operator", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        text = screen_text(app)
        assert "Esc" in text and "⏎" not in text
        assert all(ord(ch) < 0x2500 or ch in "─│╭╮╰╯▏▕" or 0x400 <= ord(ch) < 0x500 for ch in text if ord(ch) > 127), {
            ch for ch in text if ord(ch) > 127
        }
