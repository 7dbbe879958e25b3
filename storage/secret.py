"""The server secret that keys sign-in code digests: a file outside the database, mode 0600.

Created on first use (32 random bytes, hex). Its path comes from the config (`secret_file`,
`CRM_SECRET_FILE`); by default it lies in the XDG data folder beside the default database.
A copy of the database alone therefore does not let anyone test the 10**6 possible codes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.errors import StoreUnavailable
from storage.files import private_dir

SECRET_BYTES = 32


def load_or_create(path: Path) -> bytes:
    path = path.expanduser()
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(SECRET_BYTES) + "\n")
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text)
    except (OSError, ValueError) as exc:
        raise StoreUnavailable(f"Cannot read the server secret {path}: {type(exc).__name__}.") from None
