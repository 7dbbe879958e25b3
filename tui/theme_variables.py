"""The theme's CSS variables, generated once per theme in a process.

Textual's `App.get_css_variables` builds the theme's colour system anew at every call and
generates its colours (every shade of every colour, each clamped and written as hex): ~0.45 ms
here, three times as an app starts (the app's two stylesheets and the first `refresh_css`) and
again at each theme change; for the same theme the answer is the same. Here the generated colours
are kept per theme value (what `Theme.to_color_system` reads), and the rest is done as Textual
does it: the theme's own variables over them, the app's defaults under them, `theme_variables`
set on the app.
"""

from __future__ import annotations

import threading

from textual.app import App
from textual.theme import Theme

_COLOURS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground", "background",
            "surface", "panel", "boost", "dark", "luminosity_spread", "text_alpha", "ansi")  # fmt: skip
ThemeKey = tuple[object, ...]
_lock = threading.Lock()  # apps of a process may start on several threads (thin clients)
_generated: dict[ThemeKey, dict[str, str]] = {}


def _key(theme: Theme) -> ThemeKey:
    """What `Theme.to_color_system` passes on, as a value (a theme changed in place is a new key)."""
    return (*(getattr(theme, name) for name in _COLOURS), tuple(sorted(theme.variables.items())))


def generated(theme: Theme) -> dict[str, str]:
    """`theme.to_color_system().generate()`, kept per theme value (do not change the answer)."""
    key = _key(theme)
    with _lock:
        colours = _generated.get(key)
    if colours is None:
        colours = theme.to_color_system().generate()
        with _lock:
            _generated[key] = colours
    return colours


def css_variables(app: App[object]) -> dict[str, str]:
    """`App.get_css_variables` for `app`, with the theme's colours generated once per theme."""
    theme = app.current_theme
    variables = {**generated(theme), **theme.variables}
    combined = {**app.get_theme_variable_defaults(), **variables}
    app.theme_variables = combined
    return combined
