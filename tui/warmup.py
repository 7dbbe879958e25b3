"""What the store's loading thread does for the screens to come, off the UI thread: their imports
and their widgets' default CSS (adopted by the app's stylesheet on its own thread); and the GIL
switch interval while that thread runs."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import import_module

from textual.app import App

from tui.stylesheet import CssParsedAhead, OnceParsedStylesheet, parse_default_css, widget_classes

LOAD_SWITCH_INTERVAL = 0.0005  # s: how long a loading thread may keep the GIL from the UI thread
_lock = threading.Lock()
_loading = [0, 0.0]  # loading threads now, the interval before the first of them


@contextmanager
def yielding_gil() -> Iterator[None]:
    """A loading thread holds the GIL for imports: with Python's 5 ms switch interval each wake-up
    of the UI thread (a key, a refresh) waited up to 5 ms for it. Shorter while any such thread
    runs; the former interval is back when the last one ends."""
    with _lock:
        if _loading[0] == 0:
            _loading[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(_loading[1], LOAD_SWITCH_INTERVAL))
        _loading[0] += 1
    try:
        yield
    finally:
        with _lock:
            _loading[0] -= 1
            if _loading[0] == 0:
                sys.setswitchinterval(_loading[1])


def warm_screens(app: App, modules: Iterable[str]) -> None:
    """Import the screens' modules, then parse the default CSS of every widget class imported so
    far for the app's stylesheet (tui.stylesheet). Runs in a worker thread."""
    for module in modules:
        import_module(module)
    sheet = app.stylesheet
    if isinstance(sheet, OnceParsedStylesheet):
        variables = sheet.variables
        ahead = parse_default_css(widget_classes(), variables, known=sheet.parsed)
        if ahead:  # nothing new when another app of the process parsed them all
            app.post_message(CssParsedAhead(ahead, variables))
