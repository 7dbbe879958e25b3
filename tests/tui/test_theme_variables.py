"""tui.theme_variables: the kept colours give the variables Textual's own `get_css_variables` gives."""

from __future__ import annotations

from textual.app import App
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

from core.settings import Settings
from tui import theme_variables
from tui.app import CrmApp
from tui.theme_variables import css_variables


class _WithDefaults(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {"crm-accent": "red", "primary": "never used: the theme's colour wins"}


def test_every_theme_gives_textuals_variables() -> None:
    app = _WithDefaults()
    app.register_theme(Theme("custom", primary="#004578", dark=False, variables={"block-cursor-text-style": "none"}))
    for name in [*BUILTIN_THEMES, "custom"]:
        app.theme = name
        expected = App.get_css_variables(app)
        assert app.theme_variables == expected
        app.theme_variables = {}
        for _ in range(2):  # generated, then kept
            assert css_variables(app) == expected, name
            assert app.theme_variables == expected


def test_a_kept_theme_is_not_generated_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = App()
    expected = App.get_css_variables(app)
    css_variables(app)
    monkeypatch.setattr(ColorSystem, "generate", None)  # calling it would raise
    assert css_variables(app) == expected


def test_a_theme_changed_in_place_is_generated_anew() -> None:
    app = App()
    theme = Theme("changing", primary="#004578")
    app.register_theme(theme)
    app.theme = "changing"
    first = css_variables(app)
    theme.primary = "#ff0000"
    assert css_variables(app) == App.get_css_variables(app) != first


def test_the_console_takes_its_variables_from_the_kept_colours(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    monkeypatch.setattr(theme_variables, "generated", lambda theme: calls.append(theme.name) or {})
    CrmApp(Settings(database="/nonexistent"), plain=True).get_css_variables()
    assert calls[0] == "textual-dark" and calls[-1] == "ansi-dark"  # Textual's own sheet, then ours
