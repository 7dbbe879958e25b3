"""The SSH server's host key: generated once (Ed25519), kept with mode 0600, refused if others can read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh
from platformdirs import user_data_path

from core.errors import CrmError
from core.settings import APP

KEY_NAME = "ssh_host_ed25519_key"


def default_host_key_path() -> Path:
    return user_data_path(APP) / KEY_NAME


def load_or_create_host_key(path: Path | None = None) -> tuple[asyncssh.SSHKey, Path, bool]:
    """The key at `path` (default: the XDG data dir), created when missing; returns (key, path, created)."""
    path = path or default_host_key_path()
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519", comment=f"{APP} host key")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server created it meanwhile: use that one
            pass
        else:
            with os.fdopen(fd, "wb") as file:
                file.write(key.export_private_key())
            created = True
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CrmError(f"host key {path} is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it.")
    try:
        key = asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise CrmError(f"cannot read the host key {path}: {exc}") from None
    return key, path, created
