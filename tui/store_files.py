"""What the console says about a local SQLite store's files: loose permissions (a note once the
store is open), and whether the sign-in screen may show the newest code of its outbox."""

from __future__ import annotations

import os
from typing import Any

from core.settings import Settings
from tui.i18n import _


def local_codes_readable(settings: Settings) -> bool:
    """The sign-in codes of a local SQLite file are its outbox: whoever may read the file reads
    them anyway (`crm outbox`), so the sign-in screen may show the newest one. Never for a
    server or a database URL."""
    database = settings.database
    if settings.server or ("://" in database and not database.startswith("sqlite:///")):
        return False
    path = os.path.expanduser(database.removeprefix("sqlite:///"))
    return os.path.isfile(path) and os.access(path, os.R_OK)


def warn_loose_files(app: Any) -> None:
    """From the store's loading thread: a status note when other local users may read the
    database or the server secret."""
    from storage.files import loose_store_files

    loose = loose_store_files(app.settings.database, app.settings.secret_file)
    if loose:
        text = _("Readable by other local users: {files}. Run chmod 700 on the folder, 600 on the files.")
        app.call_from_thread(show_note, app, text.format(files=", ".join(str(p) for p in loose)))


def show_note(app: Any, text: str) -> None:
    status = getattr(app.screen, "status", None)
    if status is not None:  # once: a toast over the status line would cover its end at 80x24
        status(text, "error")
    else:
        app.notify(text, severity="warning", timeout=30)
