"""File modes of the local store: the data folder 0700, the database, WAL, SHM and secret 0600.

SQLite creates `-wal` and `-shm` with the mode of the database file, so the main file is made
0600 before WAL is switched on. Files that exist already are not changed silently: `loose_files`
lists those readable by group or others, and `crm serve` and the console warn about them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SUFFIXES = ("", "-wal", "-shm")


def private_dir(path: Path) -> None:
    """Create the folder (and missing parents) as 0700; an existing folder keeps its mode."""
    if not path.exists():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create an empty file as 0600 if it does not exist (before SQLite opens it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def loose_files(database: Path, *others: Path) -> list[Path]:
    """The database files, its folder and the given files that group or others may read."""
    candidates = [Path(f"{database}{suffix}") for suffix in SQLITE_SUFFIXES] + list(others)
    loose = [p for p in candidates if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o044]
    folder = database.parent
    if folder.exists() and stat.S_IMODE(folder.stat().st_mode) & 0o044:
        loose.insert(0, folder)
    return loose


def store_files(target: str) -> Path | None:
    """The SQLite file of a database target (a path or a sqlite URL); None for a server database."""
    if "://" not in target:
        return Path(target).expanduser().resolve()
    if target.startswith("sqlite:///"):
        name = target.removeprefix("sqlite:///")
        return Path(name) if name and name != ":memory:" else None
    return None


def loose_store_files(target: str, secret_file: str | None = None) -> list[Path]:
    """The files of the store (and the server secret) that other local users may read."""
    database = store_files(target)
    others = [Path(secret_file).expanduser()] if secret_file else []
    if database is None:
        return [p for p in others if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o044]
    return loose_files(database, *others)


def loose_warning(loose: list[Path]) -> str | None:
    """One line for stderr; None when all is private."""
    if not loose:
        return None
    names = ", ".join(str(p) for p in loose)
    return f"crm: warning: readable by other local users: {names} (chmod 700 the folder, 600 the files)"
