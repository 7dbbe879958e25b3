"""M9 import of clients on the console: the file, the columns' fields, a preview, the import."""

from __future__ import annotations

from typing import Any


def open_import(app: Any) -> None:
    """Push the import screen (the command palette, `CrmApp.action_import_clients`)."""
    from tui.screens.imports.screen import ImportScreen

    if app.employee is not None and not isinstance(app.screen, ImportScreen):
        app.push_screen(ImportScreen())
